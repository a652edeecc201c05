import { z } from 'zod';

/** The year in a calendar path: the platform's range for working-day schedules. */
export const calendarYearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

/** One listed day as the office enters it. */
export const calendarDaySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD'),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().trim().min(1, '请填写节日名称').max(40),
});

/** A year's schedule, replacing the stored one whole. */
export const calendarYearBody = z.object({ days: z.array(calendarDaySchema).max(366) }).strict();

/** A year's listed days with the years the calendar has any for (GET and PUT answer the same). */
export const calendarYearSchema = z.object({
  year: z.number().int(),
  days: z.array(z.object({ day: z.string(), kind: z.enum(['holiday', 'workday']), name: z.string() })),
  years: z.array(z.number().int()),
}).meta({ id: 'CalendarYear' });
