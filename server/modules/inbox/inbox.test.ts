import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildProject, buildUnit, buildUser } from '../../../test/factories.ts';
import { addAttachment } from '../../platform/attachments/attachments.ts';
import { emitEvent } from '../../platform/events/events.ts';
import { addTodo } from '../../platform/todos/todos.ts';
import { inTransaction } from '../../platform/tx.ts';
import { FileStore } from '../files/index.ts';

describe.each(DIALECTS)('the inbox API on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let mine: LoginHeaders;
  let other: LoginHeaders;
  let ownAttachment: number;
  let otherAttachment: number;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    const unitA = await buildUnit(t.db, { name: '甲镇' });
    const unitB = await buildUnit(t.db, { name: '乙镇' });
    const userA = await buildUser(t.db, { username: 'inbox_a', role: 'reporter', unitId: unitA.id });
    await buildUser(t.db, { username: 'inbox_b', role: 'reporter', unitId: unitB.id });
    const pA = await buildProject(t.db, { unit_id: unitA.id, name: '甲镇道路' });
    const pB = await buildProject(t.db, { unit_id: unitB.id, name: '乙镇学校' });
    const now = new Date();
    await inTransaction(t.db, async (trx) => {
      await addTodo(trx, { key: 'x:1', to: { unitId: unitA.id }, kind: 'matter.sign', title: '签收督办事项', link: '/matters/1', dueOn: '2000-01-03' }, now);
      await addTodo(trx, { key: 'x:2', to: { userId: userA }, kind: 'report.due', title: '填报月报', link: '/reports' }, now);
      await emitEvent(trx, { name: 'matter.assigned', at: now, notify: { recipients: [{ unitId: unitA.id }], title: '新的督办事项', link: '/matters/1' } });
      ownAttachment = (await addAttachment(trx, new FileStore(trx, null), { ownerType: 'project', ownerId: pA, fileName: '现场.jpg', data: Buffer.from('jpegbytes'), uploadedBy: userA, at: now })).id;
      otherAttachment = (await addAttachment(trx, new FileStore(trx, null), { ownerType: 'project', ownerId: pB, fileName: '别处.jpg', data: Buffer.from('other'), uploadedBy: userA, at: now })).id;
    });
    mine = await t.login('inbox_a');
    other = await t.login('inbox_b');
  });
  afterAll(async () => t?.close());

  it('lists the own and the unit to-dos, overdue first, with the header count', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/todos', headers: mine });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { key: string; overdue: boolean }) => [i.key, i.overdue])).toEqual([['x:1', true], ['x:2', false]]);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/todos/count', headers: mine })).json()).toEqual({ open: 2, overdue: 1, unread: 1 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/todos/count', headers: other })).json()).toEqual({ open: 0, overdue: 0, unread: 0 });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/todos?kind=report.due', headers: mine })).json().items).toHaveLength(1);
  });

  it('reads and marks notifications', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/notifications?unread=1', headers: mine })).json();
    expect(list.items.map((n: { title: string }) => n.title)).toEqual(['新的督办事项']);
    const after = await t.app.inject({ method: 'POST', url: '/api/v1/notifications/read', headers: mine, payload: {} });
    expect(after.json()).toEqual({ open: 2, overdue: 1, unread: 0 });
  });

  it('downloads an attachment whose owner is in scope, and answers 404 otherwise', async () => {
    const ok = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${ownAttachment}`, headers: mine });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    expect(ok.body).toBe('jpegbytes');
    const denied = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${otherAttachment}`, headers: mine });
    expect(denied.statusCode).toBe(404);
    expect(denied.json().error.message).toBe('附件不存在或无权访问');
  });
});
