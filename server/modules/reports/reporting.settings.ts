// The reporting calendar's settings (its own file: the period service and the report reminders both read them).
import { defineSettings } from '../../platform/settings.ts';
import { settingsSchema, type ReportingSettings } from './report.schema.ts';

/** The common rule: reports are due on the 25th of the period's own month; units still owing are reminded 2 working days before. */
export const DEFAULT_SETTINGS: ReportingSettings = { deadline_day: 25, deadline_month_offset: 0, remind_working_days: 2 };

/** The reporting settings over `reporting_settings` (platform/settings.ts); audited whole, as they always were. */
export const REPORTING_SETTINGS = defineSettings('reporting', 'reporting_settings', settingsSchema, DEFAULT_SETTINGS, { audit: 'whole' });
