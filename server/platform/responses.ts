import { z } from 'zod';
import { STAGES } from '../../core/stages.ts';

/** The answer of an action that has nothing else to say (`{ ok: true }`; declared boolean as handlers return it), one component of the OpenAPI document. */
export const okSchema = z.object({ ok: z.boolean() }).meta({ id: 'Ok' });

/** `{ ok: true, sessions_ended }`: how many sessions a sign-out everywhere ended. */
export const sessionsEndedSchema = z.object({ ok: z.boolean(), sessions_ended: z.number().int() }).meta({ id: 'SessionsEnded' });

/** GET /health: the database answered; which dialect it is. */
export const healthSchema = z.object({ status: z.literal('ok'), dialect: z.enum(['sqlite', 'postgres']) }).meta({ id: 'Health' });

/** A project's stage (建设阶段), as projects, their stage history and monthly reports answer it: core/stages.ts's one list. */
export const stageSchema = z.enum(STAGES).meta({ id: 'Stage' });
