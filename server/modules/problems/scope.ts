import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../platform/context.ts';
import { inScope } from '../../platform/scope.ts';

// Who sees an enterprise or a problem. An enterprise: its serving unit or region in the actor's data scope, or
// the actor is one of its linked cadres (a cadre of a department serves enterprises in townships outside the
// department's own scope). A problem: its owning department, a co-department, the raising unit or its region in
// scope, or the actor raised it, or it concerns an enterprise the actor is linked to.

/** True for enterprises the actor may see (enterprises table in the query). */
export function enterpriseVisible(actor: Actor): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'enterprises'>();
  if (actor.scope.all) return sql<SqlBool>`1 = 1`;
  return eb.or([
    inScope(actor.scope, { unit: 'enterprises.unit_id', region: 'enterprises.region_code' }),
    eb('enterprises.id', 'in', eb.selectFrom('enterprise_cadres as ec').select('ec.enterprise_id').where('ec.user_id', '=', actor.userId).where('ec.unlinked_on', 'is', null)),
  ]);
}

/** True for problems the actor may see (problems table in the query). */
export function problemVisible(actor: Actor): Expression<SqlBool> {
  const eb = expressionBuilder<DB, 'problems'>();
  if (actor.scope.all) return sql<SqlBool>`1 = 1`;
  return eb.or([
    inScope(actor.scope, { unit: 'problems.owner_unit_id', region: 'problems.region_code' }),
    inScope(actor.scope, { unit: 'problems.raised_unit_id' }),
    eb('problems.id', 'in', eb.selectFrom('problem_co_units as pc').select('pc.problem_id').where(inScope(actor.scope, { unit: 'pc.unit_id' }))),
    eb('problems.created_by', '=', actor.userId),
    // The unit serving the enterprise follows its problems.
    eb('problems.enterprise_id', 'in', eb.selectFrom('enterprises as se').select('se.id').where(inScope(actor.scope, { unit: 'se.unit_id' }))),
    eb('problems.enterprise_id', 'in', eb.selectFrom('enterprise_cadres as ec').select('ec.enterprise_id').where('ec.user_id', '=', actor.userId).where('ec.unlinked_on', 'is', null)),
  ]);
}
