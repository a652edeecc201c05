// The bulletins module's public face: its factory (app.ts, the CLI, tests) and what evaluation's 讲评 sheet reuses
// (the ranking and the GB/T 9704 .docx layout).
import type { Deps } from '../../platform/context.ts';
import { createIndicatorService } from '../indicators/index.ts';
import { createLightService } from '../lights/index.ts';
import { BulletinService } from './bulletin.service.ts';

export { BulletinService } from './bulletin.service.ts';
export { renderBulletinDocx } from './bulletin.docx.ts';
export { bulletinRoutes } from './bulletin.routes.ts';
// What `docket bulletin` takes and writes besides the service: the same request schemas as the API, the .pdf
// conversion and the 月讲评 workbook.
export { bulletinCreateSchema, rankingQuerySchema } from './bulletin.schema.ts';
export { docxToPdf } from './bulletin.pdf.ts';
export { rankingWorkbook } from './ranking-export.ts';

/** The bulletin service over `deps` (its ranking gives the 十快/十慢 projects of a period). */
export function createBulletinService(deps: Deps): BulletinService {
  return new BulletinService({ ...deps, indicators: () => createIndicatorService(deps), lights: () => createLightService(deps) });
}
