// The attraction module's public face (招商引资): other modules, app.ts, the CLI and tests import from here only.
// Evaluation (考评) and bulletins read the signed figures through `createAttractionService(deps).signedTotals(…)`.
import type { Clock } from '../../../core/clock.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { registerEntityScope } from '../../platform/access.ts';
import type { Deps } from '../../platform/context.ts';
import { FileStore } from '../files/index.ts';
import { createEnterpriseService, registerEnterpriseLeads } from '../problems/index.ts';
import { createProjectService, type ProjectService } from '../projects/index.ts';
import { AttractionRepository } from './attraction.repository.ts';
import { AttractionService, type EnterpriseRegister, type EvidenceStore, type ProjectLibrary } from './attraction.service.ts';

export { AttractionService, DEFAULT_START_LIMIT_MONTHS, DEFAULT_STALE_DAYS, LEAD_ENTITY } from './attraction.service.ts';
export { attractionRoutes } from './attraction.routes.ts';
export { seedAttractionDemo } from './attraction.demo.ts';
export { attractionSettings, type AttractionSettings } from './attraction.settings.ts';
export { LeadImportService, type LeadImportReport } from './attraction.import.ts';
import { LeadImportService } from './attraction.import.ts';
export { BIG_SIGNING_YUAN, FIGURE_DEFINITIONS, periodOf, type Period } from '../../../core/attraction/figures.ts';

/** The project library as the attraction module uses it: create at 开工 in the caller's transaction, or look one up. */
function projectLibrary(deps: Deps): ProjectLibrary {
  const service = (db: Kysely<DB>) => createProjectService({ ...deps, db });
  return {
    async create(trx, actor, p) {
      return service(trx).createProject(actor, {
        name: p.name, region_code: p.region_code, unit_id: p.unit_id, total_investment: p.total_investment, is_attraction: 1,
        stage: 'started', actual_start_date: p.start_date, builder_name: p.builder_name, builder_uscc: p.builder_uscc,
        // The optional fields left out are absent, as a parsed request would leave them.
      } as Parameters<ProjectService['createProject']>[1]);
    },
    async find(trx, actor, id) {
      try {
        const p = await service(trx).getProject(actor, id);
        return { id: p.id, name: p.name, total_investment: p.total_investment };
      } catch {
        return undefined;
      }
    },
  };
}

function evidenceStore(clock: Clock): EvidenceStore {
  return {
    put: (db, key, data) => new FileStore(db, null, clock).put(key, data),
    read: (db, key) => new FileStore(db, null, clock).read(key),
  };
}

/**
 * The problems module's enterprise register (through its index.ts), read in the caller's transaction: on SQLite a
 * read on the outer handle while a transaction holds the one connection would wait for ever.
 */
function enterpriseRegister(deps: Deps): EnterpriseRegister {
  const service = (db: Kysely<DB>) => createEnterpriseService({ ...deps, db });
  return {
    async findByUscc(db, actor, uscc) {
      const { items } = await service(db).list(actor, { q: uscc }, 1, 20);
      const e = items.find((x) => x.uscc === uscc);
      return e ? { id: e.id, name: e.name } : undefined;
    },
    async find(db, actor, id) {
      try {
        const e = await service(db).get(actor, id);
        return { id: e.id, name: e.name };
      } catch {
        return undefined;
      }
    },
    async names(db, ids) {
      return (await service(db).namesByIds(ids)).map((e) => ({ id: e.id, name: e.name, uscc: e.uscc }));
    },
  };
}

/** The attraction service. */
export function createAttractionService(deps: Deps): AttractionService {
  return new AttractionService(deps, (db) => new AttractionRepository(db), projectLibrary(deps), evidenceStore(deps.clock), enterpriseRegister(deps));
}

/** The lead ledger import (dry run / apply), for the route and `docket import --kind leads`. */
export function createLeadImportService(deps: Deps): LeadImportService {
  return new LeadImportService(deps, (db) => new AttractionRepository(db), projectLibrary(deps), enterpriseRegister(deps));
}

/**
 * Registers the 'attraction_lead' entity (routes under /attraction/leads/:id answer 404 outside the actor's scope),
 * and plugs the leads linked to an enterprise into the problems module's enterprise page.
 */
export function registerAttractionScope(): void {
  registerEntityScope('attraction_lead', (db, id, scope) => new AttractionRepository(db).isWithinScope(id, scope), '招商项目不存在或无权访问');
  registerEnterpriseLeads(async (db, actor, enterpriseId) => {
    const repo = new AttractionRepository(db);
    const [rows, all] = await Promise.all([repo.listByEnterprise(actor.scope, enterpriseId), repo.countByEnterprise(enterpriseId)]);
    const leads = rows.map((l) => ({
      id: l.id, name: l.name, stage: l.stage, team_name: l.team_name, intended_amount: l.intended_amount, signed_amount: l.signed_amount,
      signed_on: l.signed_on, terminated_on: l.terminated_on, project_id: l.project_id,
    }));
    return { leads, hidden: Math.max(0, all - leads.length) };
  });
}
