import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkUscc } from '../../../core/uscc.ts';
import { checkMove, LEAD_STAGES, STAGE_DATE_FIELD, type LeadStage } from '../../../core/attraction/lead.ts';
import { createTestApp } from '../../../test/app.ts';
import { DIALECTS } from '../../../test/db.ts';
import { generateDemo } from '../demo/index.ts';

const AS_OF = '2026-11-20';

describe.each(DIALECTS)('the demo attraction pipeline on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    await generateDemo(t.database, { projects: 300, seed: 7, asOf: AS_OF });
  });
  afterAll(async () => t?.close());

  it('seeds a few dozen records across every stage, consistent with the rules', async () => {
    const leads = await t.db.selectFrom('attraction_leads').selectAll().orderBy('id').execute();
    expect(leads).toHaveLength(40);
    const byStage = Object.fromEntries(LEAD_STAGES.map((s) => [s, leads.filter((l) => l.stage === s).length]));
    for (const s of LEAD_STAGES) expect(byStage[s], s).toBeGreaterThan(0);
    for (const l of leads) {
      // Stage dates never go backwards and never pass the as-of date; started records are library projects.
      const dates = LEAD_STAGES.slice(0, LEAD_STAGES.indexOf(l.stage as never) + 1).map((s) => l[STAGE_DATE_FIELD[s]]).filter((d): d is string => !!d);
      expect([...dates].sort(), `${l.name}`).toEqual(dates);
      expect(dates.at(-1)! <= AS_OF).toBe(true);
      if (l.company_uscc) expect(checkUscc(l.company_uscc)).toBeUndefined();
      if (l.stage === 'started' || l.stage === 'producing') expect(l.project_id).not.toBeNull();
      // A waiting move is one the reviewer can approve.
      if (l.pending_to) expect(checkMove({ from: l.stage as LeadStage, to: l.pending_to as LeadStage, date: l.pending_on!, lastStageDate: dates.at(-1)!, today: AS_OF, fields: l }), l.name).toBeUndefined();
    }
    expect(leads.filter((l) => l.terminated_on)).toHaveLength(2);
    expect(leads.filter((l) => l.review_status === 'submitted')).toHaveLength(3);
    const log = await t.db.selectFrom('status_log').select((eb) => eb.fn.countAll<number>().as('n')).where('entity_type', '=', 'attraction_lead').executeTakeFirstOrThrow();
    expect(Number(log.n)).toBeGreaterThan(40);
  });
});
