import type { MessageKey } from './i18n/zh-CN.ts';
import type { ReportStatus } from './api/types.ts';

/** Tag colours and message keys of report statuses. */
export const REPORT_STATUS: Record<ReportStatus, { color: string; key: MessageKey }> = {
  draft: { color: 'default', key: 'report.status.draft' },
  submitted: { color: 'processing', key: 'report.status.submitted' },
  approved: { color: 'success', key: 'report.status.approved' },
  returned: { color: 'error', key: 'report.status.returned' },
};

/** The reporting period to show first: the latest open one of the year, else today's month ('YYYY-MM-DD', the server's). */
export function defaultPeriod(periods: { month: number; status: string }[], today: string): number {
  const open = periods.filter((p) => p.status === 'open').map((p) => p.month);
  if (open.length) return Math.max(...open);
  const m = Number(today.slice(5, 7));
  const atOrBefore = periods.filter((p) => p.month <= m).map((p) => p.month);
  return atOrBefore.length ? Math.max(...atOrBefore) : (periods[0]?.month ?? m);
}
