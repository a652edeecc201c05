import type { CalendarDay, CalendarDayKind } from '../../../core/calendar.ts';
import type { Executor } from '../../db/database.ts';

/** All SQL of the working-day calendar (calendar_days). */
export class CalendarRepository {
  private readonly db: Executor;
  constructor(db: Executor) {
    this.db = db;
  }

  /** The listed days of a year (or of every year), in date order. */
  async listDays(year?: number): Promise<CalendarDay[]> {
    let q = this.db.selectFrom('calendar_days').select(['day', 'kind', 'name']).orderBy('day');
    if (year !== undefined) q = q.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
    return (await q.execute()).map((r) => ({ day: r.day, kind: r.kind as CalendarDayKind, name: r.name }));
  }

  /** The calendar's stamp (calendar_version): changes, to a fresh random value, with every change of its days. */
  async findStamp(): Promise<string | undefined> {
    return (await this.db.selectFrom('calendar_version').select('stamp').where('id', '=', 1).executeTakeFirst())?.stamp;
  }

  /** Replaces a year's listed days. */
  async replaceYear(year: number, days: readonly CalendarDay[], userId: number | null, at: string): Promise<void> {
    await this.db.deleteFrom('calendar_days').where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).execute();
    if (days.length > 0) {
      await this.db.insertInto('calendar_days').values(days.map((d) => ({ day: d.day, kind: d.kind, name: d.name, updated_at: at, updated_by: userId }))).execute();
    }
  }
}
