import { z } from 'zod';

// Response schemas of the supervision routes (issue 15): matters, meetings, weekly batches and the office's settings.
// They feed the OpenAPI document and so web/api/generated.ts. States, sources and urgencies are the stored text
// (core/supervision/matter-workflow.ts lists them); each comes with its Chinese label where the page prints one.

const int = z.number().int();
const text = z.string().nullable();
const unitRef = z.object({ id: int, name: z.string() });

/** An attachment as a page lists it (platform/attachments). */
export const attachmentSchema = z.object({
  id: int, ownerType: z.string(), ownerId: int, fileName: z.string(), contentType: z.string(), sizeBytes: int, sha256: z.string(), uploadedBy: int.nullable(), uploadedAt: z.string(),
}).meta({ id: 'Attachment' });

const matterFields = {
  id: int, number: z.string(), title: z.string(), source: z.string(), sourceLabel: z.string(), sourceId: int.nullable(), sourceRef: text, sourceLink: text, type: z.string(),
  urgency: z.string(), leadUnitId: int, leadUnitName: z.string(), status: z.string(), statusLabel: z.string(), assignedOn: z.string(), dueOn: z.string(),
  nextFeedbackOn: text, requestedDueOn: text, overdue: z.boolean(), attention: z.boolean(), leaderId: int.nullable(), version: int, closedOn: text, writtenOffOn: text,
};

/** A supervised matter (督办事项) as lists show it. */
export const matterListItemSchema = z.object({ ...matterFields, coUnits: z.array(unitRef), enterprises: z.array(z.object({ id: int, name: z.string() })) }).meta({ id: 'MatterListItem' });
export const matterListSchema = z.object({ total: int, today: z.string(), items: z.array(matterListItemSchema) }).meta({ id: 'MatterList' });

/** A matter's page: the matter, projects, deadlines with their standing, feedback, 批示, letters, timeline and what the reader may do. */
export const matterDetailSchema = z.object({
  matter: z.object({
    ...matterFields, coUnits: z.array(unitRef.extend({ signedOn: text.optional() })), content: z.string(), supervisorName: text, leaderName: text, signedOn: text,
    closingOn: text, closeRejections: int, feedbackDays: int,
  }),
  projects: z.array(z.object({ id: int, name: z.string(), code: text })),
  /**
   * 关联企业 with their 统一社会信用代码; `canOpen` is false for one outside the reader's enterprise visibility (its
   * page would answer 404): the page shows it as plain text. Name and code stay: they are the public register's.
   */
  enterprises: z.array(z.object({ id: int, name: z.string(), uscc: text, canOpen: z.boolean() })),
  deadlines: z.array(z.object({
    kind: z.string(), dueOn: z.string(), originalDueOn: z.string(), status: z.string(), pausedOn: text, pausedDays: int, overdue: z.boolean(), workingDays: int, paused: z.boolean(),
  })),
  feedback: z.array(z.object({
    id: int, unitId: int.nullable(), authorId: int.nullable(), onDate: z.string(), text: z.string(), nextSteps: text, dueOn: text, onTime: z.boolean(), createdAt: z.string(),
    attachments: z.array(attachmentSchema), authorName: text, unitName: text,
  })),
  instructions: z.array(z.object({ id: int, leader_id: int, leader_name: z.string(), text: z.string(), at: z.string() })),
  attachments: z.array(attachmentSchema),
  letters: z.array(z.object({ id: int, kind: z.string(), number: z.string(), title: z.string(), signerName: z.string(), createdAt: z.string(), step: text })),
  timeline: z.array(z.object({ at: z.string(), kind: z.enum(['move', 'feedback', 'event']), actorId: int.nullable(), title: z.string(), detail: text, data: z.unknown(), actorName: text })),
  actions: z.array(z.object({ action: z.string(), label: z.string(), needs: z.enum(['reason', 'evidence']).nullable() })),
  can: z.object({ feedback: z.boolean(), instruct: z.boolean(), attention: z.boolean(), coSign: z.boolean(), letter: z.boolean() }),
}).meta({ id: 'MatterDetail' });

/** A matter a meeting decision or a weekly batch links to. */
const linkedMatter = z.object({
  id: int, number: z.string(), title: z.string(), status: z.string(), statusLabel: z.string(), leadUnitId: int, leadUnitName: z.string(), dueOn: z.string(),
  assignedOn: z.string(), closedOn: text, writtenOffOn: text,
}).meta({ id: 'LinkedMatter' });

export const meetingListSchema = z.object({
  total: int,
  items: z.array(z.object({ id: int, kind: z.string(), kindLabel: z.string(), title: z.string(), heldOn: z.string(), chair: text, decisions: int, assigned: int, done: int }).meta({ id: 'MeetingListItem' })),
});

/** A meeting with its decisions (议定事项), each with the matters it became, and the one-line summary a bulletin quotes. */
export const meetingDetailSchema = z.object({
  // `version`: a correction names it (a stale one answers 409 version_conflict with the stored meeting).
  meeting: z.object({ id: int, kind: z.string(), kindLabel: z.string(), title: z.string(), heldOn: z.string(), chair: text, attendees: text, location: text, version: int }),
  decisions: z.array(z.object({ id: int, seq: int, text: z.string(), matters: z.array(linkedMatter), done: z.boolean() })),
  attachments: z.array(attachmentSchema),
  summary: z.string(),
}).meta({ id: 'MeetingDetail' });

const batchHead = { id: int, year: int, seq: int, issue: z.string(), title: z.string(), weekOf: z.string(), createdAt: z.string() };
export const batchListSchema = z.object({
  total: int,
  items: z.array(z.object({ ...batchHead, newCount: int, carriedCount: int, status: z.enum(['unsigned', 'open', 'done']), statusLabel: z.string() }).meta({ id: 'BatchListItem' })),
});
const unsignedUnit = z.object({ unitId: int, name: z.string(), pending: int });

/** A weekly batch (周交办单) with the matters the reader's scope sees, and who has not signed yet (the office's view). */
export const batchDetailSchema = z.object({
  batch: z.object(batchHead),
  today: z.string(),
  matters: z.array(linkedMatter.extend({ content: z.string(), carried: z.boolean(), coUnits: z.array(z.string()), overdue: z.boolean() })),
  unsigned: z.array(unsignedUnit),
}).meta({ id: 'BatchDetail' });
export const batchCandidatesSchema = z.object({ items: z.array(matterListItemSchema) });

const step = z.object({ key: z.string(), offset: int, label: z.string() });
const letterTemplate = z.object({ title: z.string(), body: z.string() });

/** One year's escalation rules as the settings page shows them: its own, carried forward from an earlier year, or the defaults. */
export const yearRulesSchema = z.object({
  year: int,
  ladder: z.array(step), feedback_ladder: z.array(step),
  letter_on_step: z.record(z.string(), z.enum(['remind', 'press', 'interview'])),
  letter_on_create: z.boolean(),
  /** The year whose rules these are (this year when it has its own); null: the office's defaults. */
  from: int.nullable(),
  own: z.boolean(),
  /** Names the rules a change is made on: the year's own version, 0 while it has none (PUT answers 409 when stale). */
  version: int,
  /** The years that have rules of their own. */
  years: z.array(int),
  currentYear: int,
}).meta({ id: 'SupervisionYearRules' });

/** The supervision office's rules (督办规则): prefixes, default time limits, escalation ladders, letters and their wording. */
export const supervisionSettingsSchema = z.object({
  issuer: z.string(), matter_prefix: z.string(),
  letter_prefixes: z.object({ assign: z.string(), remind: z.string(), press: z.string(), interview: z.string() }),
  default_due_working_days: int, default_feedback_days: int, sign_working_days: int,
  ladder: z.array(step), feedback_ladder: z.array(step),
  letter_on_step: z.record(z.string(), z.enum(['remind', 'press', 'interview'])),
  letter_on_create: z.boolean(),
  letter_templates: z.object({ assign: letterTemplate, remind: letterTemplate, remind_missed: letterTemplate, press: letterTemplate, interview: letterTemplate }),
  reply_working_days: int,
  /** Names the settings a change is made on (PUT answers 409 when another save came first). */
  version: int,
}).meta({ id: 'SupervisionSettings' });

/** The number each series (督办事项编号, each letter kind) would hand out next this year: the settings page's example. */
export const nextNumbersSchema = z.object({
  year: int, matter: int,
  letters: z.object({ assign: int, remind: int, press: int, interview: int }),
}).meta({ id: 'NextNumbers' });

// ---- the small answers of writes (an id, a flag), so that every supervision route's answer is declared

export const matterRefSchema = z.object({ id: int, number: z.string() }).meta({ id: 'MatterRef' });
/** A feedback entry just written (进展反馈), with whether it came on time. */
export const feedbackEntrySchema = z.object({
  id: int, unitId: int.nullable(), authorId: int.nullable(), onDate: z.string(), text: z.string(), nextSteps: text, dueOn: text, onTime: z.boolean(), createdAt: z.string(),
  attachments: z.array(attachmentSchema),
}).meta({ id: 'MatterFeedbackEntry' });
export const idSchema = z.object({ id: int });
/** A meeting just corrected, with its new version. */
export const meetingUpdatedSchema = z.object({ id: int, version: int }).meta({ id: 'MeetingUpdated' });
export const attentionSchema = z.object({ attention: z.boolean() });
export const coSignedSchema = z.object({ signedOn: z.string() });
export const deletedSchema = z.object({ deleted: z.boolean() });
/** A decision added or corrected, with the meeting's new version. */
export const decisionRefSchema = z.object({ id: int, seq: int, version: int });
/** A decision deleted, with the meeting's new version. */
export const decisionDeletedSchema = z.object({ deleted: z.boolean(), version: int });
export const decisionMattersSchema = z.object({ matters: z.array(matterRefSchema) });
/** A weekly batch just issued: its number and how many matters are new and carried forward. */
export const batchCreatedSchema = z.object({ id: int, seq: int, title: z.string(), weekOf: z.string(), new: int, carried: int });
/** The units a batch was sent to again (those that had not signed). */
export const batchReissuedSchema = z.object({ units: z.array(unsignedUnit) });

/** A rate's numerator and denominator (core/supervision/figures.ts Fraction). */
const fractionSchema = z.object({ num: int, den: int });
/** GET /supervision/figures: per unit in the reader's scope, the month's counts, fractions and rates (null without a denominator, unrounded). */
export const supervisionFiguresSchema = z.object({
  month: z.string(),
  units: z.array(z.object({
    unitId: int, unitName: z.string(), received: int, feedbackOnTime: fractionSchema, missedFeedback: int, onTimeCompletion: fractionSchema,
    overdue: int, onePassWriteOff: fractionSchema, days: z.object({ sum: int, count: int }),
    rates: z.object({ feedbackOnTime: z.number().nullable(), onTimeCompletion: z.number().nullable(), onePassWriteOff: z.number().nullable(), averageDays: z.number().nullable() }),
  })),
}).meta({ id: 'SupervisionFigures' });
