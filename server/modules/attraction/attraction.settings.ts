import { z } from 'zod';
import { defineSettings } from '../../platform/settings.ts';

/**
 * The attraction office's settings: days without a follow-up after which an open record is stale (跟进超期), and
 * months after signing within which a signed record should start (开工期限, the "signed but not started" list).
 */
export const attractionSettings = defineSettings('attraction', 'attraction_settings', z.object({
  stale_days: z.number().int('须为整数').min(1, '至少 1 天').max(365, '不能超过 365 天'),
  start_limit_months: z.number().int('须为整数').min(1, '至少 1 个月').max(60, '不能超过 60 个月'),
}), {
  stale_days: 30,
  start_limit_months: 6,
});
export type AttractionSettings = Awaited<ReturnType<typeof attractionSettings.get>>;
