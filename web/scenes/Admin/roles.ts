import type { Role } from '../../api/types.ts';
import type { MessageKey } from '../../i18n/zh-CN.ts';

/** Every role, in the order the administration screens list them. */
export const ROLE_OPTIONS: Role[] = ['office', 'reporter', 'leader', 'supervisor', 'sysadmin', 'secadmin', 'auditor'];

/** The message key of a role's name. */
export function roleKey(role: Role): MessageKey {
  return `role.${role}`;
}
