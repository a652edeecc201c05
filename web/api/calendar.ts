/** The working-day calendar (工作日历): holidays and 调休 working weekends per year. */
import { api } from './client.ts';

/** One listed day: a holiday (放假) or a worked weekend (调休上班). */
export interface CalendarDay {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
}

/** A year's listed days and the years that have a schedule. */
export interface CalendarYear {
  year: number;
  days: CalendarDay[];
  years: number[];
}

export const calendarApi = {
  get: (year: number) => api.get<CalendarYear>(`/calendar/${year}`),
  put: (year: number, days: CalendarDay[]) => api.put<CalendarYear>(`/calendar/${year}`, { days }, { quiet: true }),
};
