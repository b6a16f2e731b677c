/** Business calendars as the API gives and takes them (gateway/schemas/calendar.schema.ts). */
import type { Static } from 'typebox';
import type { CalendarPatchBody, CalendarSchema, DueAnswer as DueAnswerSchema } from '../../../../gateway/schemas/calendar.schema.ts';

export type Calendar = Static<typeof CalendarSchema>;

export type HoursWindow = Calendar['windows'][number];

export type Holiday = Calendar['holidays'][number];

export type Weekday = HoursWindow['day'];

/** the days in order, with the names the forms show */
export const WEEKDAYS = [
  ['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday'],
] as const satisfies readonly (readonly [Weekday, string])[];

export type CalendarInput = Static<typeof CalendarPatchBody>;

export type DueAnswer = Static<typeof DueAnswerSchema>;
