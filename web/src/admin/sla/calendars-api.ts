/** Business calendars: list, keep, import holidays, and the business-time arithmetic (due). */
import { request } from '../../api-client.ts';
import type { Calendar, CalendarInput, DueAnswer } from './calendar-types.ts';

const enc = encodeURIComponent;

export const calendarsApi = {
  list: () => request<{ items: Calendar[] }>('GET', '/api/v1/calendars'),
  create: (body: CalendarInput) => request<Calendar>('POST', '/api/v1/calendars', body),
  patch: (id: string, body: CalendarInput) => request<Calendar>('PATCH', `/api/v1/calendars/${enc(id)}`, body),
  remove: (id: string) => request<null>('DELETE', `/api/v1/calendars/${enc(id)}`),
  importHolidays: (id: string, ics: string, replace: boolean) =>
    request<{ calendar: Calendar; imported: number }>('POST', `/api/v1/calendars/${enc(id)}/holidays/import`, { ics, replace }),
  due: (id: string, from: string, duration: string) =>
    request<DueAnswer>('GET', `/api/v1/calendars/${enc(id)}/due?from=${enc(from)}&duration=${enc(duration)}`),
};
