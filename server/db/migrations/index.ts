import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-23-01-foundation.ts';
import * as reporting from './2026-11-23-02-reporting.ts';
import * as accounts from './2026-11-23-03-accounts.ts';
import * as reportsWorkflow from './2026-11-23-04-reports.ts';
import * as projectLibrary from './2026-11-23-05-project-library.ts';
import * as indicators from './2026-11-23-06-indicators.ts';
import * as indicatorGroups from './2026-11-23-06-indicator-groups.ts';
import * as indicatorsTrend from './2026-11-23-06-indicators-trend.ts';
import * as planToDate from './2026-11-23-07-plan-to-date.ts';
import * as lightSnapshots from './2026-11-23-08-lights.ts';
import * as importNameKey from './2026-11-23-09-import-name-key.ts';
import * as divisionTree from './2026-12-06-10-division-tree.ts';
import * as reportSource from './2026-12-06-11-report-source.ts';
import * as searchTextBar from './2026-12-06-40-search-text-bar.ts';
import * as accountHardening from './2026-12-06-41-account-hardening.ts';
import * as storedFiles from './2026-12-06-42-stored-files.ts';
import * as sequences from './2026-12-06-50-sequences.ts';
import * as bulletins from './2026-12-06-51-bulletins.ts';
import * as platform from './2026-12-06-70-platform.ts';
import * as directoryContacts from './2026-12-07-10-directory-contacts.ts';
import * as recordsFromLights from './2026-12-07-11-records-from-lights.ts';
import * as deadlinesInbox from './2026-12-07-40-deadlines-inbox.ts';
import * as matters from './2026-12-07-41-matters.ts';
import * as enterprises from './2026-12-07-50-enterprises.ts';
import * as problems from './2026-12-07-51-problems.ts';
import * as problemLights from './2026-12-07-52-problem-lights.ts';
import * as evaluation from './2026-12-07-60-evaluation.ts';
import * as attraction from './2026-12-07-70-attraction.ts';
import * as regionNameIndex from './2026-12-08-10-region-name-index.ts';
import * as statsUnknown from './2026-12-08-11-stats-unknown.ts';
import * as accountApproval from './2026-12-08-20-account-approval.ts';
import * as reviewQueueIndex from './2026-12-08-40-review-queue-index.ts';
import * as listTotalsIndex from './2026-12-08-41-list-totals-index.ts';
import * as coUnitSign from './2026-12-08-60-co-unit-sign.ts';
import * as visitPhotoAttachments from './2026-12-08-70-visit-photo-attachments.ts'; // issue 18
import * as attractionSettings from './2026-12-08-80-attraction-settings.ts';
import * as reportUnitCounts from './2026-12-09-40-report-unit-counts.ts'; // issue 16
import * as bulletinFeeds from './2026-12-09-60-bulletin-feeds.ts';
import * as reportLateIndex from './2026-12-10-10-report-late-index.ts'; // issue 16
import * as meetingVersion from './2026-12-10-50-meeting-version.ts'; // issue 17
import * as deviceKeys from './2026-12-11-10-device-keys.ts'; // issue 14
import * as auditPending from './2026-12-11-30-audit-pending.ts'; // issue 16
import * as evalLineObjections from './2026-12-11-60-eval-line-objections.ts'; // issue 20
import * as supervisionYearRules from './2026-12-12-10-supervision-year-rules.ts'; // issue 17
import * as matterEnterprises from './2026-12-12-11-matter-enterprises.ts'; // issue 17
import * as matterSourceLink from './2026-12-12-20-matter-source-link.ts'; // issue 17
import * as nodePlans from './2026-12-13-10-node-plans.ts'; // issue 17
import * as listTotals from './2026-12-12-50-list-totals.ts'; // issue 16
import * as indicatorGroupsYearly from './2026-12-13-30-indicator-groups-yearly.ts'; // issue 23
import * as indicatorPending from './2026-12-13-60-indicator-pending.ts'; // issue 16
import * as problemDeadlines from './2026-12-14-10-problem-deadlines.ts'; // issue 17
import * as nodePlanAnchor from './2026-12-14-20-node-plan-anchor.ts'; // issue 17
import * as nodeplanSettings from './2026-12-14-21-nodeplan-settings.ts'; // issue 17
import * as reportLate from './2026-12-14-30-report-late.ts'; // issue 16
import * as missingPageIndex from './2026-12-14-31-missing-page-index.ts'; // issue 16
import * as lightsUpdateMarkOnce from './2026-12-14-50-lights-update-mark-once.ts'; // issue 23
import * as projectListRows from './2026-12-15-10-project-list-rows.ts'; // issue 16
import * as calendarVersion from './2026-12-15-20-calendar-version.ts'; // issue 16
import * as lightCodeStatistics from './2026-12-15-30-light-code-statistics.ts'; // issue 16
import * as unitLiveIdsPg from './2026-12-15-31-unit-live-ids-pg.ts'; // issue 16
import * as lightsYtdFromMonth from './2026-12-15-40-lights-ytd-from-month.ts'; // issue 23

/** Every migration, in order. Append-only: never edit or reorder a migration that has shipped. */
export const migrations: Record<string, Migration> = {
  '2026-11-23-01-foundation': foundation,
  '2026-11-23-02-reporting': reporting,
  '2026-11-23-03-accounts': accounts,
  '2026-11-23-04-reports': reportsWorkflow,
  '2026-11-23-05-project-library': projectLibrary,
  '2026-11-23-06-indicators': indicators,
  '2026-11-23-06-indicator-groups': indicatorGroups,
  '2026-11-23-06-indicators-trend': indicatorsTrend,
  '2026-11-23-07-plan-to-date': planToDate,
  '2026-11-23-08-lights': lightSnapshots,
  '2026-11-23-09-import-name-key': importNameKey,
  '2026-12-06-10-division-tree': divisionTree,
  '2026-12-06-11-report-source': reportSource,
  '2026-12-06-40-search-text-bar': searchTextBar,
  '2026-12-06-41-account-hardening': accountHardening,
  '2026-12-06-42-stored-files': storedFiles,
  '2026-12-06-50-sequences': sequences,
  '2026-12-06-51-bulletins': bulletins,
  '2026-12-06-70-platform': platform,
  '2026-12-07-10-directory-contacts': directoryContacts,
  '2026-12-07-11-records-from-lights': recordsFromLights,
  '2026-12-07-40-deadlines-inbox': deadlinesInbox,
  '2026-12-07-41-matters': matters,
  '2026-12-07-50-enterprises': enterprises,
  '2026-12-07-51-problems': problems,
  '2026-12-07-52-problem-lights': problemLights,
  '2026-12-07-60-evaluation': evaluation,
  '2026-12-07-70-attraction': attraction,
  '2026-12-08-10-region-name-index': regionNameIndex,
  '2026-12-08-11-stats-unknown': statsUnknown,
  '2026-12-08-20-account-approval': accountApproval,
  '2026-12-08-40-review-queue-index': reviewQueueIndex,
  '2026-12-08-41-list-totals-index': listTotalsIndex,
  '2026-12-08-60-co-unit-sign': coUnitSign,
  '2026-12-08-70-visit-photo-attachments': visitPhotoAttachments, // issue 18
  '2026-12-08-80-attraction-settings': attractionSettings,
  '2026-12-09-40-report-unit-counts': reportUnitCounts, // issue 16
  '2026-12-09-60-bulletin-feeds': bulletinFeeds, // issues 17, 18, 21
  '2026-12-10-10-report-late-index': reportLateIndex, // issue 16
  '2026-12-10-50-meeting-version': meetingVersion, // issue 17
  '2026-12-11-10-device-keys': deviceKeys, // issue 14
  '2026-12-11-30-audit-pending': auditPending, // issue 16
  '2026-12-11-60-eval-line-objections': evalLineObjections, // issue 20
  '2026-12-12-10-supervision-year-rules': supervisionYearRules, // issue 17
  '2026-12-12-11-matter-enterprises': matterEnterprises, // issue 17
  '2026-12-12-20-matter-source-link': matterSourceLink, // issue 17
  '2026-12-12-50-list-totals': listTotals, // issue 16
  '2026-12-13-10-node-plans': nodePlans, // issue 17
  '2026-12-13-30-indicator-groups-yearly': indicatorGroupsYearly, // issue 23
  '2026-12-13-60-indicator-pending': indicatorPending, // issue 16
  '2026-12-14-10-problem-deadlines': problemDeadlines, // issue 17
  '2026-12-14-20-node-plan-anchor': nodePlanAnchor, // issue 17
  '2026-12-14-21-nodeplan-settings': nodeplanSettings, // issue 17
  '2026-12-14-30-report-late': reportLate, // issue 16
  '2026-12-14-31-missing-page-index': missingPageIndex, // issue 16
  '2026-12-14-50-lights-update-mark-once': lightsUpdateMarkOnce, // issue 23
  '2026-12-15-10-project-list-rows': projectListRows, // issue 16
  '2026-12-15-20-calendar-version': calendarVersion, // issue 16
  '2026-12-15-30-light-code-statistics': lightCodeStatistics, // issue 16
  '2026-12-15-31-unit-live-ids-pg': unitLiveIdsPg, // issue 16
  '2026-12-15-40-lights-ytd-from-month': lightsYtdFromMonth, // issue 23
};
