import { chinaToday } from '../../../core/clock.ts';
import { AppError } from '../../errors.ts';
import type { Actor, Deps } from '../../platform/context.ts';
import { checkEntityScope, isEntityRegistered } from '../../platform/access.ts';
import { findAttachment, readAttachment, type BlobStore } from '../../platform/attachments/attachments.ts';
import { countUnread, listInApp, markRead } from '../../platform/events/events.ts';
import { countTodos, listTodos, type InboxOwner } from '../../platform/todos/todos.ts';

/** Who an actor's inbox belongs to. */
export function inboxOwnerOf(actor: Actor): InboxOwner {
  return { userId: actor.userId, unitId: actor.unitId, role: actor.role };
}

/** The to-do inbox, in-app notifications and attachment downloads (the platform pieces behind one face). */
export class InboxService {
  private readonly deps: Deps;
  private readonly store: BlobStore;
  constructor(deps: Deps, store: BlobStore) {
    this.deps = deps;
    this.store = store;
  }

  private today() {
    return chinaToday(this.deps.clock.now());
  }

  /** The actor's to-dos: open (overdue first) or done (newest first), optionally of some kinds. */
  async todos(actor: Actor, opts: { done?: boolean; kinds?: string[]; limit?: number; offset?: number }) {
    return { today: this.today(), items: await listTodos(this.deps.db, inboxOwnerOf(actor), this.today(), opts) };
  }

  /** The header's figures: open and overdue to-dos, unread notifications. */
  async count(actor: Actor) {
    const todos = await countTodos(this.deps.db, inboxOwnerOf(actor), this.today());
    return { ...todos, unread: await countUnread(this.deps.db, actor.userId) };
  }

  async notifications(actor: Actor, unreadOnly: boolean) {
    return { items: await listInApp(this.deps.db, actor.userId, { unreadOnly }) };
  }

  async markRead(actor: Actor, ids?: number[]) {
    await markRead(this.deps.db, actor.userId, this.deps.clock.now(), ids);
    return this.count(actor);
  }

  /** An attachment's bytes, when its owner lies within the actor's scope (else 404, as for the owner itself). */
  async download(actor: Actor, id: number): Promise<{ fileName: string; contentType: string; data: Buffer }> {
    const a = await findAttachment(this.deps.db, id);
    const gone = new AppError('not_found', '附件不存在或无权访问');
    if (!a || !isEntityRegistered(a.ownerType)) throw gone;
    const { visible } = await checkEntityScope(this.deps.db, a.ownerType, a.ownerId, actor.scope);
    if (!visible) throw gone;
    const data = await readAttachment(this.store, a);
    if (!data) throw gone;
    return { fileName: a.fileName, contentType: a.contentType, data };
  }
}
