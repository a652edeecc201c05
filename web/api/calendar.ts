/** The working-day calendar (工作日历): holidays and 调休 working weekends per year. */
import { api } from './client.ts';
import type { Schema } from './types.ts';

/** A year's listed days and the years that have a schedule (calendar.schema.ts). */
export type CalendarYear = Schema<'CalendarYear'>;
/** One listed day: a holiday (放假) or a worked weekend (调休上班). */
export type CalendarDay = CalendarYear['days'][number];

export const calendarApi = {
  get: (year: number) => api.get<CalendarYear>(`/calendar/${year}`),
  put: (year: number, days: CalendarDay[]) => api.put<CalendarYear>(`/calendar/${year}`, { days }, { quiet: true }),
};
