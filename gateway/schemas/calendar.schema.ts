/** Business calendars: what the API shows and what it takes. */
import { Type, type Static } from 'typebox';
import type { CalendarView } from '../../store/calendar.repository.ts';
import { WEEKDAYS } from '../../routing/business-calendar.ts';
import { Ref, StringEnum, type Assert, type SameShape } from './common.schema.ts';

const Clock = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, local time' });
const DateText = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'YYYY-MM-DD, the calendar’s local date' });

const Window = Type.Object(
  {
    day: StringEnum(WEEKDAYS),
    from: Clock,
    to: Type.String({ ...Clock, description: 'HH:MM; not after `from`: the window runs past midnight into the next day' }),
  },
  { additionalProperties: false },
);
const Holiday = Type.Object(
  {
    date: DateText,
    to: Type.Optional(Type.String({ ...DateText, description: 'the last day closed, for a range' })),
    name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const CalendarSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    timeZone: Type.String({ description: 'IANA, e.g. Europe/Berlin' }),
    windows: Type.Array(Window),
    holidays: Type.Array(Holiday),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Calendar' },
);
export type CalendarSchemaMatchesView = Assert<SameShape<Static<typeof CalendarSchema>, CalendarView>>;

const calendarFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA, e.g. America/New_York' }),
  windows: Type.Array(Window, { maxItems: 100 }),
  holidays: Type.Array(Holiday, { maxItems: 2000 }),
};
export const CalendarCreateBody = Type.Object({ ...calendarFields, holidays: Type.Optional(calendarFields.holidays) }, { additionalProperties: false });
export const CalendarPatchBody = Type.Object(
  { name: Type.Optional(calendarFields.name), timeZone: Type.Optional(calendarFields.timeZone), windows: Type.Optional(calendarFields.windows), holidays: Type.Optional(calendarFields.holidays) },
  { additionalProperties: false, minProperties: 1 },
);
export const CalendarList = Type.Object({ items: Type.Array(Ref(CalendarSchema)) });
export const HolidayImportBody = Type.Object(
  {
    ics: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'an iCalendar file (.ics) as text' }),
    replace: Type.Optional(Type.Boolean({ default: false, description: 'true: the file’s holidays replace the calendar’s; false: they are added' })),
  },
  { additionalProperties: false },
);
export const HolidayImported = Type.Object({ calendar: Ref(CalendarSchema), imported: Type.Integer({ description: 'holidays found in the file over the past year and the next three' }) });
export const DueQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'the instant the clock starts' }),
    duration: Type.String({ minLength: 2, maxLength: 40, description: 'ISO 8601 business time, e.g. PT4H, PT30S, P1DT2H (a day is 24 business hours)' }),
  },
  { additionalProperties: false },
);
export const DueAnswer = Type.Object({
  dueAt: Type.String({ format: 'date-time', description: 'UTC' }),
  openAtStart: Type.Boolean(),
  opensAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when the team opens next, if closed at `from`' }),
});

export const SHARED_CALENDAR_SCHEMAS = [CalendarSchema];
