import type { FastifyInstance } from 'fastify';
import type { CaseService, CasePatch } from '../cases/case.service.ts';
import { CASE_STATES } from '../cases/case.service.ts';
import type { Authenticator } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { BODY_LIMITS } from '../body-limits.ts';
import { assertTextFits } from '../pipeline/ingest.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';

export const caseNumberParam = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', pattern: '^[Cc][Ss][0-9]{7,}$' } },
} as const;

function encodeCursor(id: number): string {
  return Buffer.from(`c:${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^c:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m) throw new GatewayError('INVALID_CURSOR', 'cursor is not one this API returned');
  return Number(m[1]);
}

export function registerCaseRoutes(app: FastifyInstance, cases: CaseService, auth: Authenticator): void {
  app.get(
    '/api/v1/cases',
    {
      onRequest: auth.require('agent'),
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            state: { type: 'string', enum: [...CASE_STATES] },
            queue: { type: 'string', maxLength: 200 },
            channel: { type: 'string', enum: CHANNEL_NAMES },
            contact: { type: 'string', maxLength: 320 },
            assignee: { type: 'string', maxLength: 100 },
            q: { type: 'string', maxLength: 200 },
            limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            cursor: { type: 'string', maxLength: 100 },
          },
        },
      },
    },
    async (req) => {
      const q = req.query as { state?: string; queue?: string; channel?: string; contact?: string; assignee?: string; q?: string; limit: number; cursor?: string };
      const page = await cases.list({
        state: q.state,
        queue: q.queue,
        channel: q.channel,
        contact: q.contact,
        assigneeId: q.assignee,
        q: q.q,
        limit: q.limit,
        beforeId: q.cursor ? decodeCursor(q.cursor) : undefined,
      });
      return { items: page.items, nextCursor: page.nextBeforeId ? encodeCursor(page.nextBeforeId) : null };
    },
  );

  app.get('/api/v1/cases/:number', { onRequest: auth.require('agent'), schema: { params: caseNumberParam } }, async (req) => {
    return cases.get((req.params as { number: string }).number.toUpperCase());
  });

  app.post(
    '/api/v1/cases/:number/replies',
    {
      onRequest: auth.require('agent'),
      bodyLimit: BODY_LIMITS.messageText,
      schema: {
        params: caseNumberParam,
        body: {
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: { text: { type: 'string', minLength: 1 }, internal: { type: 'boolean', default: false } },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { text: string; internal: boolean };
      if (!body.text.trim()) throw new GatewayError('VALIDATION_FAILED', 'text is empty');
      assertTextFits(body.text);
      const res = await cases.reply((req.params as { number: string }).number.toUpperCase(), req.actor!, body);
      return reply.code(202).send(res);
    },
  );

  app.patch(
    '/api/v1/cases/:number',
    {
      onRequest: auth.require('agent'),
      schema: {
        params: caseNumberParam,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            state: { type: 'string', enum: [...CASE_STATES] },
            priority: { type: 'integer', minimum: 1, maximum: 4 },
            queue: { type: 'string', minLength: 1, maxLength: 200 },
            assignee: { type: ['string', 'null'], maxLength: 100 },
            contact: {
              type: 'object',
              additionalProperties: false,
              minProperties: 1,
              properties: { phone: { type: 'string', pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164; SMS from this number joins the contact' } },
            },
          },
        },
      },
    },
    async (req) => cases.patch((req.params as { number: string }).number.toUpperCase(), req.actor!, req.body as CasePatch),
  );
}
