import { z } from 'zod';
import { reportStatusSchema } from '../reports/index.ts';

// Response schemas of the workbook imports (issue 15): the reports of import.service.ts (projects, plans, a month's
// progress) and list-import.ts (units, users). They feed the OpenAPI document and so web/api/generated.ts.

const int = z.number().int();

/** A problem found in the file, located by sheet, row and column letter, with a Chinese reason. */
const importProblemSchema = z.object({
  sheet: z.string(), row: int.nullable(), column: z.string().nullable(), severity: z.enum(['error', 'warning']), message: z.string(),
}).meta({ id: 'ImportProblem' });

/** A column of the file the import did not recognise (ignored). */
const unmappedColumnSchema = z.object({ letter: z.string(), header: z.string() });

/** What the import proposes for one unit name of the file that is not stored yet (unit-proposals.ts). */
const unitProposalSchema = z.object({
  name: z.string(), rows: int, action: z.enum(['match', 'create']), kind: z.enum(['department', 'township', 'company', 'park', 'other']),
  matchId: int.optional(), matchName: z.string().optional(),
  /** Other existing units that could be meant (for the wizard's drop-down). */
  candidates: z.array(z.object({ id: int, name: z.string() })),
  parentId: int.nullable(), regionCode: z.string().nullable(),
}).meta({ id: 'UnitProposal' });

/** The report of a project list, plan or monthly-progress import: a dry run's plan or an apply's result. */
export const importReportSchema = z.object({
  kind: z.enum(['projects', 'plans', 'monthly']), fileName: z.string(), format: z.string(), reader: z.string(), encoding: z.string().optional(),
  dryRun: z.boolean(), applied: z.boolean(),
  sheets: z.array(z.object({
    name: z.string(), headerRows: z.string().nullable(),
    columns: z.array(z.object({
      letter: z.string(), header: z.string(), field: z.string(), label: z.string(),
      unit: z.enum(['元', '万元', '亿元', '万亿元']).optional(), unitSource: z.enum(['header', 'note', 'default']).optional(),
    })),
    unmapped: z.array(unmappedColumnSchema), dataRows: int, note: z.string().optional(),
    /** The year and period inferred for a project list, and where from. */
    period: z.string().optional(),
    /** A table whose rows are imported (false: no table, or another sheet was chosen). */
    chosen: z.boolean().optional(),
  })),
  /** Project list: what to do with unit and area names that do not exist yet. */
  proposals: z.object({
    jurisdiction: z.object({ code: z.string(), name: z.string(), office: z.string() }).nullable(),
    units: z.array(unitProposalSchema),
    areas: z.array(z.object({ name: z.string(), parentCode: z.string(), parentName: z.string(), rows: int })),
  }).optional(),
  /** Project list: the progress to date written as approved monthly reports. */
  progress: z.object({ year: int, month: int, rows: int, created: int, updated: int }).optional(),
  summary: z.object({
    rows: int, created: int, updated: int, unchanged: int, skipped: int, errorRows: int, errors: int, warnings: int,
    plansCreated: int, plansUpdated: int, packages: int, subItems: int, statsBlank: int.optional(),
  }),
  problems: z.array(importProblemSchema), problemsTruncated: int,
  outcomes: z.array(z.object({
    sheet: z.string(), row: int, action: z.enum(['create', 'update', 'unchanged', 'skip', 'error']), name: z.string().optional(), projectId: int.optional(),
    /** Labels of the fields that would change. */
    changes: z.array(z.string()).optional(), reason: z.string().optional(),
  })),
  outcomesTruncated: int,
  elapsedMs: z.number(),
  phaseMs: z.object({ read: z.number(), check: z.number(), write: z.number() }),
  /** Repeated projects: rows naming one project, or a row whose name + region fit `stored` projects. */
  duplicates: z.array(z.object({
    sheet: z.string(), rows: z.array(int), name: z.string(), region: z.string().nullable(), stored: int.optional(), skipped: z.boolean(),
  })),
  /** Monthly progress: the status the imported reports were given (draft, submitted or approved). */
  reportStatus: reportStatusSchema.optional(),
}).meta({ id: 'ImportReport' });

/** The report of a unit-list or user-list import; an applied user list carries the new accounts' passwords once. */
export const listImportReportSchema = z.object({
  kind: z.enum(['units', 'users']), fileName: z.string(), dryRun: z.boolean(), applied: z.boolean(),
  sheets: z.array(z.object({
    name: z.string(), headerRows: z.string().nullable(), columns: z.array(z.object({ letter: z.string(), header: z.string(), label: z.string() })),
    unmapped: z.array(unmappedColumnSchema), dataRows: int, chosen: z.boolean(), note: z.string().optional(),
  })),
  summary: z.object({ rows: int, created: int, updated: int, unchanged: int, errorRows: int, errors: int, warnings: int }),
  problems: z.array(importProblemSchema),
  outcomes: z.array(z.object({
    sheet: z.string(), row: int, action: z.enum(['create', 'update', 'unchanged', 'error']), name: z.string(),
    changes: z.array(z.string()).optional(), reason: z.string().optional(),
  })),
  /** User list, applied: each new account's first-login password (shown once). */
  credentials: z.array(z.object({
    row: int, unit: z.string(), name: z.string(), phone: z.string().nullable(), username: z.string(), role: z.string(), password: z.string(),
  })).optional(),
  /** The same as an .xlsx workbook, base64: the one download of the passwords (nothing keeps them). */
  credentialsXlsx: z.string().optional(),
  elapsedMs: z.number(),
}).meta({ id: 'ListImportReport' });
