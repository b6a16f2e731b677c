import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CalendarService } from '../calendars/calendar.service.ts';
import type { Authenticator } from '../auth.ts';
import { bearer, errorResponses, NoContent, Ref } from '../schemas/common.schema.ts';
import { IdParams } from '../schemas/directory.schema.ts';
import { CalendarCreateBody, CalendarList, CalendarPatchBody, CalendarSchema, DueAnswer, DueQuery, HolidayImportBody, HolidayImported } from '../schemas/calendar.schema.ts';

/** Business calendars: everyone reads them; admins keep them. */
export function registerCalendarRoutes(app: FastifyInstance, calendars: CalendarService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['calendars'];

  api.get(
    '/api/v1/calendars',
    { onRequest: auth.require('agent'), schema: { summary: 'Every business calendar', tags, ...bearer('agent'), response: { 200: CalendarList, ...errorResponses(401, 403, 429) } } },
    async () => ({ items: await calendars.list() }),
  );

  api.post(
    '/api/v1/calendars',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Create a business calendar', tags, ...bearer('admin'), body: CalendarCreateBody, response: { 201: Ref(CalendarSchema), ...errorResponses(400, 401, 403, 409, 415, 429) } },
    },
    async (req, reply) => reply.code(201).send(await calendars.create(req.actor!, { ...req.body, holidays: req.body.holidays ?? [] })),
  );

  api.get(
    '/api/v1/calendars/:id',
    { onRequest: auth.require('agent'), schema: { summary: 'One business calendar', tags, ...bearer('agent'), params: IdParams, response: { 200: Ref(CalendarSchema), ...errorResponses(400, 401, 403, 404, 429) } } },
    async (req) => calendars.get(req.params.id),
  );

  api.patch(
    '/api/v1/calendars/:id',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Change a business calendar', tags, ...bearer('admin'), params: IdParams, body: CalendarPatchBody, response: { 200: Ref(CalendarSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) } },
    },
    async (req) => calendars.update(req.actor!, req.params.id, req.body),
  );

  api.delete(
    '/api/v1/calendars/:id',
    {
      onRequest: auth.require('admin'),
      schema: { summary: 'Delete a business calendar no queue or account uses', tags, ...bearer('admin'), params: IdParams, response: { 204: NoContent, ...errorResponses(400, 401, 403, 404, 409, 429) } },
    },
    async (req, reply) => {
      await calendars.remove(req.actor!, req.params.id);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/calendars/:id/holidays/import',
    {
      onRequest: auth.require('admin'),
      schema: {
        summary: 'Add (or replace) holidays from an iCalendar file',
        tags,
        ...bearer('admin'),
        params: IdParams,
        body: HolidayImportBody,
        response: { 200: HolidayImported, ...errorResponses(400, 401, 403, 404, 413, 415, 429) },
      },
    },
    async (req) => calendars.importHolidays(req.actor!, req.params.id, req.body.ics, req.body.replace ?? false),
  );

  api.get(
    '/api/v1/calendars/:id/due',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'When a duration of business time from an instant ends (the arithmetic SLAs use)',
        tags,
        ...bearer('agent'),
        params: IdParams,
        querystring: DueQuery,
        response: { 200: DueAnswer, ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (req) => calendars.due(req.params.id, new Date(req.query.from), req.query.duration),
  );
}
