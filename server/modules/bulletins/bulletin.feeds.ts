// The bulletin's feed sections (issues 17, 18, 21): reads what the supervision, problems and attraction modules
// measured for the bulletin's month, through each module's index.ts and with the same service calls their own
// figures APIs make, so a bulletin quotes the figures those pages show for the same month and scope. The office's
// bulletin covers its whole jurisdiction, so the figures are read with the system actor (every unit); a bulletin
// for one region narrows the attraction figures to that region's subtree, as a user scoped to the region sees them
// (supervision's and problems' figures are by unit and department, so they stay the office's whole figures).
import type { FeedFigures, FeedKey, ProblemsFeedRow } from '../../../core/bulletins/feeds.ts';
import { LEAD_STAGE_LABELS } from '../../../core/attraction/lead.ts';
import { systemActor, type Deps } from '../../platform/context.ts';
import { createAttractionService } from '../attraction/index.ts';
import { problemFigures } from '../problems/index.ts';
import { createAgendaService, createMatterService } from '../supervision/index.ts';

const pad2 = (n: number) => String(n).padStart(2, '0');

/** The feed figures of a bulletin's month and region, without the sections the office left out. */
export async function readFeeds(deps: Deps, b: { year: number; month: number }, regionPath: string | null, omitted: readonly FeedKey[]): Promise<FeedFigures> {
  const actor = systemActor();
  const regional: typeof actor = regionPath ? { ...actor, scope: { all: false, unitPaths: [], regionPaths: [regionPath] } } : actor;
  const month = `${b.year}-${pad2(b.month)}`;
  const wants = (k: FeedKey) => !omitted.includes(k);
  const out: FeedFigures = {};
  if (wants('supervision')) {
    const units = await createMatterService(deps).figures(actor, month);
    const rows = units.map((u) => ({ unit_id: u.unitId, name: u.unitName, received: u.received, closed: u.days.count, overdue: u.overdue, on_time: { ...u.onTimeCompletion } }));
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + f(r), 0);
    out.supervision = {
      month, received: sum((r) => r.received), closed: sum((r) => r.closed), overdue: sum((r) => r.overdue),
      on_time: { num: sum((r) => r.on_time.num), den: sum((r) => r.on_time.den) }, units: rows,
    };
  }
  if (wants('meetings')) {
    const meetings = await createAgendaService(deps).meetingsOfMonth(month);
    out.meetings = { month, meetings: meetings.map((m) => ({ held_on: m.heldOn, title: m.title, decisions: m.decisions, assigned: m.assigned, done: m.done })) };
  }
  if (wants('problems')) {
    const f = await problemFigures(deps, actor, b.year, 'department');
    const row = (name: string, x: typeof f.total): ProblemsFeedRow => ({
      name, total: x.total, accepted: x.accepted, closed: x.closed, overdue: x.overdue,
      closed_rate: { num: x.closed_rate.numerator, den: x.closed_rate.denominator }, on_time_rate: { num: x.on_time_rate.numerator, den: x.on_time_rate.denominator },
    });
    out.problems = { year: b.year, solved_in_year: f.solved_in_year, total: row('合计', f.total), departments: f.groups.map((g) => row(g.name, g.figures)) };
  }
  if (wants('attraction')) {
    const a = await createAttractionService(deps).monthFigures(regional, b.year, b.month);
    const period = (r: typeof a.month) => ({
      signed_count: r.signed_count, signed_amount: r.signed_amount, signed_big_count: r.signed_big_count, signed_big_amount: r.signed_big_amount,
      started_count: r.started_count, producing_count: r.producing_count,
    });
    out.attraction = {
      month: period(a.month), year_to_date: period(a.year_to_date),
      funnel: a.funnel.map((s) => ({ stage: s.stage, label: LEAD_STAGE_LABELS[s.stage], reached: s.reached })),
    };
  }
  return out;
}
