import { z } from 'zod';
import { securitySettingsSchema } from './security.settings.ts';

// Response schema of the security settings routes (issue 15): it feeds the OpenAPI document and so web/api/generated.ts.

/** The security administrator's settings (password policy, lockout, sessions, audit retention) and their Chinese labels. */
export const securitySettingsAnswerSchema = z.object({
  settings: securitySettingsSchema.meta({ id: 'SecuritySettings' }),
  labels: z.record(z.string(), z.string()),
}).meta({ id: 'SecuritySettingsAnswer' });
