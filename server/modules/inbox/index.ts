// The inbox module's public face: the to-do inbox, in-app notifications and attachment downloads over the platform
// pieces (server/platform/todos, events, attachments). Capabilities add their to-dos through the platform.
import type { Deps } from '../../platform/context.ts';
import { FileStore } from '../files/index.ts';
import { InboxService } from './inbox.service.ts';

export { InboxService, inboxOwnerOf } from './inbox.service.ts';
export { inboxRoutes } from './inbox.routes.ts';

/** The inbox service (attachments read from the database's file store). */
export function createInboxService(deps: Deps): InboxService {
  return new InboxService(deps, new FileStore(deps.db, null, deps.clock));
}
