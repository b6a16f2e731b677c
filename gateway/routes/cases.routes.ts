import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CasePageKey, CaseService, CaseSort } from '../cases/case.service.ts';
import { ACTIVE_STATES } from '../../routing/case-state.ts';
import type { Authenticator } from '../auth.ts';
import type { Actor } from '../auth.ts';
import { GatewayError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../page-cursor.ts';
import { BODY_LIMITS } from '../body-limits.ts';
import { assertTextFits } from '../pipeline/ingest.ts';
import { bearer, errorResponses, Ref } from '../schemas/common.schema.ts';
import { sendStoredFile } from '../files/send-stored-file.ts';
import { Type } from 'typebox';
import { AttachmentParams, InteractionParams, CaseCountsSchema, CaseDetailSchema, CaseListQuery, CaseNumberParams, CasePage, CasePatchBody, CaseSchema, ReplyAccepted, ReplyBody } from '../schemas/case.schema.ts';


export function registerCaseRoutes(app: FastifyInstance, cases: CaseService, auth: Authenticator): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get(
    '/api/v1/cases',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'List cases, newest first; or, with sort=due, those with a running SLA clock, the nearest due first',
        tags: ['cases'],
        ...bearer('agent'),
        querystring: CaseListQuery,
        response: { 200: CasePage, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (req) => {
      const q = req.query;
      const sort = q.sla === 'soon' ? 'due' : (q.sort ?? 'newest');
      const page = await cases.list({
        state: q.state === 'active' ? ACTIVE_STATES : q.state,
        queue: q.queue,
        me: req.actor!.agentId,
        channel: q.channel,
        priority: q.priority,
        contact: q.contact,
        // "me": the caller's own (an agent's token); "none": nobody's
        ...(q.assignee === 'none' ? { unassigned: true } : { assigneeId: q.assignee === 'me' ? meOf(req.actor!) : q.assignee }),
        offeredToId: q.offeredTo === 'me' ? meOf(req.actor!) : q.offeredTo,
        contactId: q.contactId,
        accountId: q.accountId,
        tag: q.tag,
        q: q.q,
        // the schema's default fills it in
        limit: q.limit!,
        sort,
        slaSoon: q.sla === 'soon',
        ...(q.cursor ? { after: decodeCasePage(sort, q.cursor) } : {}),
      });
      return { items: page.items, nextCursor: page.next ? encodeCasePage(sort, page.next) : null };
    },
  );

  api.get(
    '/api/v1/cases/counts',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'How many cases each view of the workspace’s inbox holds for the caller',
        tags: ['cases'],
        ...bearer('agent'),
        response: { 200: CaseCountsSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (req) => cases.counts(req.actor!.agentId),
  );

  api.get(
    '/api/v1/cases/:number',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'One case with its interactions and routing explanation',
        tags: ['cases'],
        ...bearer('agent'),
        params: CaseNumberParams,
        response: { 200: Ref(CaseDetailSchema), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (req) => cases.get(req.params.number.toUpperCase()),
  );

  api.post(
    '/api/v1/cases/:number/replies',
    {
      onRequest: auth.require('agent'),
      bodyLimit: BODY_LIMITS.messageText,
      schema: {
        summary: 'Answer the customer, or add an internal note',
        description: 'The answer goes out on the channel of the customer’s newest message. Answering a case nobody has takes it, when the agent could claim it; a case another agent holds or is offered, or one the agent is not eligible for, is refused (409 CASE_NOT_CLAIMABLE, 403 NOT_ELIGIBLE) unless a supervisor takes it over (`takeover`). Notes are open to every agent.',
        tags: ['cases'],
        ...bearer('agent'),
        params: CaseNumberParams,
        body: ReplyBody,
        response: { 202: ReplyAccepted, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      if (!body.text.trim() && !body.attachments?.length) throw new GatewayError('VALIDATION_FAILED', 'text is empty: an answer or a note needs text or files');
      assertTextFits(body.text);
      const res = await cases.reply(req.params.number.toUpperCase(), req.actor!, body);
      return reply.code(202).send(res);
    },
  );

  api.post(
    '/api/v1/cases/:number/interactions/:id/resend',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Send a failed answer again (409 NOT_FAILED when it did not fail)',
        description: 'The answer goes back in the outbox with a fresh count of attempts; the timeline says who sent it again.',
        tags: ['cases'],
        ...bearer('agent'),
        params: InteractionParams,
        response: { 202: ReplyAccepted, ...errorResponses(400, 401, 403, 404, 409, 429) },
      },
    },
    async (req, reply) => reply.code(202).send(await cases.resend(req.params.number.toUpperCase(), req.params.id, req.actor!)),
  );

  api.get(
    '/api/v1/cases/:number/interactions/:id/attachments/:index',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'An attachment’s content: images shown, anything else downloaded',
        tags: ['cases'],
        ...bearer('agent'),
        params: AttachmentParams,
        response: { 200: Type.Unsafe<unknown>({ description: 'the file' }), ...errorResponses(400, 401, 403, 404, 429) },
      },
    },
    async (req, reply) => {
      return sendStoredFile(reply, await cases.attachment(req.params.number.toUpperCase(), req.params.id, req.params.index));
    },
  );

  api.patch(
    '/api/v1/cases/:number',
    {
      onRequest: auth.require('agent'),
      schema: {
        summary: 'Change state, priority, queue, assignee or the contact’s phone',
        description: 'Agents assign only to themselves; supervisors to anyone. A closed case is final.',
        tags: ['cases'],
        ...bearer('agent'),
        params: CaseNumberParams,
        body: CasePatchBody,
        response: { 200: Ref(CaseSchema), ...errorResponses(400, 401, 403, 404, 409, 415, 429) },
      },
    },
    async (req) => cases.patch(req.params.number.toUpperCase(), req.actor!, req.body),
  );
}

/** Where a page starts, from the cursor of the list's order (a cursor of one order is refused by the other). */
// each order pages by its own key, under a tag of its own: a cursor of one order is refused by another
const PAGE_TAGS: Record<CaseSort, string> = { newest: 'c', oldest: 'o', priority: 'p', due: 'd' };

function encodeCasePage(sort: CaseSort, key: CasePageKey): string {
  const text = 'dueAt' in key ? `${key.dueAt.getTime()}.${key.id}` : 'priority' in key ? `${key.priority}.${key.id}` : String(key.id);
  return encodeCursor(PAGE_TAGS[sort], text);
}

function decodeCasePage(sort: CaseSort, cursor: string): CasePageKey {
  if (sort === 'newest' || sort === 'oldest') return { id: Number(decodeCursor(PAGE_TAGS[sort], cursor, /\d{1,15}/)) };
  const [first, id] = decodeCursor(PAGE_TAGS[sort], cursor, /\d{1,15}\.\d{1,15}/).split('.').map(Number) as [number, number];
  return sort === 'due' ? { id, dueAt: new Date(first) } : { id, priority: first };
}

/** The agent behind the caller's token, for `me` in a filter; a token of no agent has no cases of its own. */
function meOf(actor: Actor): string {
  if (!actor.agentId) throw new GatewayError('NOT_AN_AGENT', '"me" needs a token that belongs to an agent');
  return actor.agentId;
}
