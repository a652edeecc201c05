import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS } from '../../../test/db.ts';
import { inTransaction } from '../tx.ts';
import { addTodo, completeTodos, countTodos, findTodoFor, listTodos } from './todos.ts';

const now = new Date('2026-12-07T02:00:00Z');
const today = '2026-12-07';

describe.each(DIALECTS)('the to-do inbox on %s', (dialect) => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.destroy());

  const reporter = { userId: 11, unitId: 5, role: 'reporter' };
  const office = { userId: 12, unitId: null, role: 'supervisor' };

  it('addresses users, units and roles; overdue first, then by due date, undated last; one row per key', async () => {
    const db = database.db;
    await inTransaction(db, async (trx) => {
      await addTodo(trx, { key: 'matter:1:sign', to: { unitId: 5 }, kind: 'matter.sign', title: '签收：道路改造', link: '/matters/1', dueOn: '2026-12-09', entityType: 'matter', entityId: 1 }, now);
      await addTodo(trx, { key: 'matter:2:feedback', to: { unitId: 5 }, kind: 'matter.feedback', title: '反馈：征地', link: '/matters/2', dueOn: '2026-12-01', entityType: 'matter', entityId: 2 }, now);
      await addTodo(trx, { key: 'report:2026-11', to: { userId: 11 }, kind: 'report.due', title: '11月月报', link: '/reports', entityType: null }, now);
      await addTodo(trx, { key: 'matter:3:review', to: { role: 'supervisor' }, kind: 'matter.review', title: '审核办结：学校', link: '/matters/3', dueOn: '2026-12-08', entityType: 'matter', entityId: 3 }, now);
      await addTodo(trx, { key: 'matter:4:sign', to: { unitId: 6 }, kind: 'matter.sign', title: '别的单位', link: '/matters/4' }, now);
      // Adding again refreshes the same row.
      await addTodo(trx, { key: 'matter:1:sign', to: { unitId: 5 }, kind: 'matter.sign', title: '签收：道路改造（更新）', link: '/matters/1', dueOn: '2026-12-10', entityType: 'matter', entityId: 1 }, now);
    });
    const inbox = await listTodos(db, reporter, today);
    expect(inbox.map((t) => [t.key, t.overdue])).toEqual([['matter:2:feedback', true], ['matter:1:sign', false], ['report:2026-11', false]]);
    expect(inbox[1]!.title).toBe('签收：道路改造（更新）');
    expect(await countTodos(db, reporter, today)).toEqual({ open: 3, overdue: 1 });
    expect((await listTodos(db, office, today)).map((t) => t.key)).toEqual(['matter:3:review']);
    expect((await listTodos(db, reporter, today, { kinds: ['matter.sign'] })).map((t) => t.key)).toEqual(['matter:1:sign']);
    expect(await findTodoFor(db, office, inbox[0]!.id)).toBeUndefined();
  });

  it('finishing by key or by entity; a finished to-do shows under done and can be reopened by adding it again', async () => {
    const db = database.db;
    expect(await inTransaction(db, (trx) => completeTodos(trx, { entityType: 'matter', entityId: 2 }, now, 11))).toBe(1);
    expect(await inTransaction(db, (trx) => completeTodos(trx, { key: 'matter:2:feedback' }, now, 11))).toBe(0);
    expect(await countTodos(db, reporter, today)).toEqual({ open: 2, overdue: 0 });
    expect((await listTodos(db, reporter, today, { done: true })).map((t) => t.key)).toEqual(['matter:2:feedback']);
    await inTransaction(db, (trx) => addTodo(trx, { key: 'matter:2:feedback', to: { unitId: 5 }, kind: 'matter.feedback', title: '反馈：征地', link: '/matters/2', dueOn: '2026-12-14' }, now));
    expect(await countTodos(db, reporter, today)).toEqual({ open: 3, overdue: 0 });
  });
});
