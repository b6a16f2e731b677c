/** Business calendars as the API gives and takes them (gateway/schemas/calendar.schema.ts). */

export const WEEKDAYS = [
  ['mon', 'Monday'], ['tue', 'Tuesday'], ['wed', 'Wednesday'], ['thu', 'Thursday'], ['fri', 'Friday'], ['sat', 'Saturday'], ['sun', 'Sunday'],
] as const;

export type Weekday = (typeof WEEKDAYS)[number][0];

export interface HoursWindow {
  day: Weekday;
  /** HH:MM local */
  from: string;
  /** HH:MM; not after `from`: runs past midnight */
  to: string;
}

export interface Holiday {
  /** YYYY-MM-DD */
  date: string;
  to?: string;
  name?: string;
}

export interface Calendar {
  id: string;
  name: string;
  timeZone: string;
  windows: HoursWindow[];
  holidays: Holiday[];
  createdAt: string;
  updatedAt: string;
}

export type CalendarInput = Partial<Pick<Calendar, 'name' | 'timeZone' | 'windows' | 'holidays'>>;

export interface DueAnswer {
  dueAt: string;
  openAtStart: boolean;
  opensAt: string | null;
}
