import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../../core/calendar.ts';
import { chinaToday } from '../../../core/clock.ts';
import { createTestApp, type LoginHeaders } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { buildRegions, buildUnit, buildUser } from '../../../test/factories.ts';
import { readWorkbook } from '../../../test/workbooks.ts';
import { clock } from '../../clock.ts';

// Issue 17: a matter names the enterprises it concerns (关联企业). Linking follows enterprise visibility (unit,
// region or linked cadre: problems/scope.ts), the enterprise page lists its matters through the matter data scope.
describe.each(DIALECTS)('matters linked to enterprises on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let office: LoginHeaders;
  let scoped: LoginHeaders;
  let stranger: LoginHeaders;
  let leadUnit: number;
  let ownEnt: number;
  let cadreEnt: number;
  let farEnt: number;
  const later = (n: number) => addDays(chinaToday(clock.now()), n);
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await buildRegions(t.db);
    leadUnit = (await buildUnit(t.db, { name: '住建局', regionCode: '320505' })).id;
    const farUnit = (await buildUnit(t.db, { name: '玄武区商务局', regionCode: '320102' })).id;
    const other = (await buildUnit(t.db, { name: '教育局' })).id;
    await buildUser(t.db, { username: 'me_office', role: 'supervisor' });
    // a supervisor whose data scope is the lead unit only, linked as cadre to one enterprise outside it
    const scopedId = await buildUser(t.db, { username: 'me_scoped', role: 'supervisor', unitId: leadUnit });
    await t.db.insertInto('user_scopes').values({ user_id: scopedId, unit_id: leadUnit, region_code: null }).execute();
    await buildUser(t.db, { username: 'me_other', role: 'reporter', unitId: other });
    const now = new Date().toISOString();
    const ent = async (name: string, unitId: number, region: string, uscc: string) => (await t.db.insertInto('enterprises').values({
      name, uscc, region_code: region, unit_id: unitId, created_at: now, updated_at: now, created_by: null, deleted_at: null,
    } as never).returning('id').executeTakeFirstOrThrow()).id;
    ownEnt = await ent('苏州恒达精密机械有限公司', leadUnit, '320505', '91320505MA1XYZ0001');
    cadreEnt = await ent('南京玄武光电科技有限公司', farUnit, '320102', '91320102MA1XYZ0002');
    farEnt = await ent('南京紫金新材料有限公司', farUnit, '320102', '91320102MA1XYZ0003');
    await t.db.insertInto('enterprise_cadres').values({ enterprise_id: cadreEnt, user_id: scopedId, name: 'me_scoped', post: null, role: 'cadre', phone: null, visit_every_months: null, linked_on: later(-10), unlinked_on: null }).execute();
    office = await t.login('me_office');
    scoped = await t.login('me_scoped');
    stranger = await t.login('me_other');
  });
  afterAll(async () => t?.close());

  const create = (headers: LoginHeaders, body: Record<string, unknown>) => t.app.inject({
    method: 'POST', url: '/api/v1/matters', headers, payload: { title: '企业用地报批协调', source: 'other', lead_unit_id: leadUnit, due_on: later(30), ...body },
  });
  const list = (headers: LoginHeaders, q: string) => t.app.inject({ method: 'GET', url: `/api/v1/matters?${q}`, headers });

  it('links enterprises on create and shows them (id, name, credit code) on the matter page and in the list', async () => {
    const res = await create(office, { enterprise_ids: [ownEnt, cadreEnt, ownEnt] });
    expect(res.statusCode).toBe(200);
    const id = res.json().id as number;
    const d = (await t.app.inject({ method: 'GET', url: `/api/v1/matters/${id}`, headers: office })).json();
    expect(d.enterprises).toEqual([
      { id: cadreEnt, name: '南京玄武光电科技有限公司', uscc: '91320102MA1XYZ0002', canOpen: true },
      { id: ownEnt, name: '苏州恒达精密机械有限公司', uscc: '91320505MA1XYZ0001', canOpen: true },
    ]);
    const l = (await list(office, `enterprise_id=${ownEnt}`)).json();
    expect(l.items.map((m: { id: number }) => m.id)).toEqual([id]);
    expect(l.items[0].enterprises.map((e: { name: string }) => e.name)).toEqual(['南京玄武光电科技有限公司', '苏州恒达精密机械有限公司']);
    expect((await list(office, `enterprise_id=${farEnt}`)).json().total).toBe(0);
  });

  it('refuses linking an enterprise the actor cannot see (422, Chinese), and accepts one seen as a linked cadre', async () => {
    const refused = await create(scoped, { enterprise_ids: [ownEnt, farEnt] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message ?? refused.json().error?.message).toContain(`关联企业不存在或不在数据范围内：${farEnt}`);
    const ok = await create(scoped, { title: '光电企业配套道路', enterprise_ids: [ownEnt, cadreEnt] });
    expect(ok.statusCode).toBe(200);
    const missing = await create(office, { enterprise_ids: [999999] });
    expect(missing.statusCode).toBe(422);
  });

  it('edits the links (PUT /matters/:id/enterprises) within the same rules; the matter scope decides who reads them', async () => {
    const { id } = (await create(office, { title: '紫金新材料扩产', enterprise_ids: [ownEnt] })).json();
    const put = (headers: LoginHeaders, ids: number[]) => t.app.inject({ method: 'PUT', url: `/api/v1/matters/${id}/enterprises`, headers, payload: { enterprise_ids: ids } });
    const res = await put(office, [farEnt]);
    expect(res.statusCode).toBe(200);
    expect(res.json().enterprises.map((e: { id: number }) => e.id)).toEqual([farEnt]);
    expect((await list(office, `enterprise_id=${ownEnt}`)).json().items.map((m: { id: number }) => m.id)).not.toContain(id);
    expect((await list(office, `enterprise_id=${farEnt}`)).json().items.map((m: { id: number }) => m.id)).toEqual([id]);
    // The scoped supervisor reads the matter (its lead unit) but may not open the far enterprise: the matter says so
    // (the page shows it as text, not a link to a 404), and the office, which sees every enterprise, may open it.
    const read = async (headers: LoginHeaders) => (await t.app.inject({ method: 'GET', url: `/api/v1/matters/${id}`, headers })).json().enterprises.map((e: { id: number; canOpen: boolean }) => [e.id, e.canOpen]);
    expect(await read(scoped)).toEqual([[farEnt, false]]);
    expect(await read(office)).toEqual([[farEnt, true]]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/enterprises/${farEnt}`, headers: scoped })).statusCode).toBe(404);
    // Saving the list back with an enterprise of its own keeps the far link it cannot see (the page sends the whole list).
    const kept = await put(scoped, [ownEnt, farEnt]);
    expect(kept.statusCode).toBe(200);
    expect(await read(scoped)).toEqual([[farEnt, false], [ownEnt, true]]); // by name: 南京紫金… before 苏州恒达…
    // … but it cannot add one it cannot see: refused, nothing changes.
    expect((await put(office, [ownEnt])).statusCode).toBe(200);
    const refused = await put(scoped, [ownEnt, farEnt]);
    expect(refused.statusCode).toBe(422);
    expect((await read(office)).map((e: [number, boolean]) => e[0])).toEqual([ownEnt]);
    expect((await put(stranger, [])).statusCode).toBe(403);
    // a reporter of another unit reads no matter of the enterprise (the matter data scope)
    expect((await list(stranger, `enterprise_id=${ownEnt}`)).json().total).toBe(0);
    expect((await put(office, [])).json().enterprises).toEqual([]);
  });

  it('exports the enterprise filter with a 关联企业 column', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/matters.xlsx?enterprise_id=${cadreEnt}`, headers: office });
    expect(res.statusCode).toBe(200);
    const sheet = (await readWorkbook(res.rawPayload)).worksheets[0]!;
    const rows = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    const header = rows.find((r) => r.includes('关联企业'))!;
    const col = header.indexOf('关联企业');
    const data = rows.filter((r) => r[col] && r !== header);
    expect(data.map((r) => [r[header.indexOf('事项')], r[col]])).toEqual(expect.arrayContaining([
      ['企业用地报批协调', '南京玄武光电科技有限公司、苏州恒达精密机械有限公司'],
      ['光电企业配套道路', '南京玄武光电科技有限公司、苏州恒达精密机械有限公司'],
    ]));
    expect(data).toHaveLength(2);
  });
});
