import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BODY_LIMITS } from '../body-limits.ts';
import type { Authenticator } from '../auth.ts';
import { assertTextFits } from '../pipeline/ingest.ts';
import type { RulesService } from '../rules/rules.service.ts';
import type { RuleReplay } from '../rules/rule-replay.ts';
import type { RuleHits } from '../rules/rule-hits.ts';
import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { simulate, SimulateRequest } from '../rules/simulate.ts';
import { bearer, errorResponses, Ref } from '../schemas/common.schema.ts';
import {
  AuditPage,
  AuditPageQuery,
  ConfigPatchBody,
  ExpectVersionQuery,
  RuleAtPosition,
  RuleCreateBody,
  RuleDeleted,
  RuleDocumentSchema,
  RuleIdParams,
  RulePatchBody,
  ReplayBody,
  RuleHitsSchema,
  SimulateBody,
  SimulateResult,
  VersionPage,
  VersionPageQuery,
  VersionParams,
} from '../schemas/rule.schema.ts';

/**
 * The routing rules as data. Supervisors read rules, versions and the audit trail and may simulate;
 * only admins change anything. Every accepted change is a new version, audited; a refused one changes
 * nothing and names the exact path of each problem.
 */
export function registerRuleRoutes(
  app: FastifyInstance,
  deps: { rules: RulesService; replay: RuleReplay; hits: RuleHits; simulate: (req: SimulateRequest, now: Date) => ReturnType<typeof simulate>; auth: Authenticator; now: () => Date },
): void {
  const { rules, auth } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const read = { onRequest: auth.require('supervisor') };
  const write = { onRequest: auth.require('admin') };
  const readDoc = { tags: ['rules'], ...bearer('supervisor') };
  const writeDoc = { tags: ['rules'], ...bearer('admin') };
  // a refused change: 400 INVALID_RULES (with every problem's path in details), 409 VERSION_CONFLICT
  const writeErrors = errorResponses(400, 401, 403, 404, 409, 413, 415, 429);
  const readErrors = errorResponses(400, 401, 403, 404, 429);
  const document = Ref(RuleDocumentSchema);

  api.get('/api/v1/rules', { ...read, schema: { summary: 'The routing configuration in force', ...readDoc, response: { 200: document, ...readErrors } } }, async () =>
    rules.document(),
  );

  api.patch(
    '/api/v1/rules',
    {
      ...write,
      bodyLimit: BODY_LIMITS.ruleSet,
      schema: {
        summary: 'Replace any of rules, lexicon, templates, business hours, as one new version',
        ...writeDoc,
        querystring: ExpectVersionQuery,
        body: ConfigPatchBody,
        response: { 200: document, ...writeErrors },
      },
    },
    async (req) => rules.patchConfig(req.actor!, req.body, req.query.version),
  );

  api.post(
    '/api/v1/rules',
    {
      ...write,
      schema: {
        summary: 'Add a rule (by default before the catch-all rule)',
        ...writeDoc,
        querystring: ExpectVersionQuery,
        body: RuleCreateBody,
        response: { 201: RuleAtPosition, ...writeErrors },
      },
    },
    async (req, reply) => {
      const created = await rules.createRule(req.actor!, req.body, req.query.version);
      return reply.code(201).send(created);
    },
  );

  api.post(
    '/api/v1/rules/simulate',
    {
      ...read,
      bodyLimit: BODY_LIMITS.messageText,
      schema: {
        summary: 'The decision the rules in force would take for a sample message, with its trace; stores nothing',
        ...readDoc,
        body: SimulateBody,
        response: { 200: SimulateResult, ...errorResponses(400, 401, 403, 413, 415, 429) },
      },
    },
    async (req) => {
      assertTextFits(req.body.text);
      return deps.simulate(req.body, deps.now());
    },
  );

  api.get(
    '/api/v1/rules/hits',
    { ...read, schema: { summary: 'How many routed customer messages each rule matched in the last 24 hours and 7 days, and its last match', ...readDoc, response: { 200: RuleHitsSchema, ...readErrors } } },
    async () => ({ items: await deps.hits.totals() }),
  );

  api.post(
    '/api/v1/rules/replay',
    {
      ...write,
      bodyLimit: BODY_LIMITS.ruleSet,
      schema: {
        summary: 'Replay the newest stored customer messages through the live rules and a draft: what the draft would change (nothing is written)',
        description:
          'The draft’s parts replace the live ones. A draft that does not validate is refused with 400 INVALID_RULES before anything runs. Otherwise the answer streams as NDJSON: `{"type":"progress","done","total"}` lines, then one `{"type":"result","total","changed","queueChanged","priorityChanged","moves":[{"from":{"queue","priority"},"to":{…},"count","examples":[…]}],"liveVersion","elapsedMs"}`. A case’s first message is replayed as a new case, later ones as follow-ups (which never change queue).',
        ...writeDoc,
        body: ReplayBody,
        response: { 200: Type.Unsafe<unknown>({ description: 'application/x-ndjson: progress lines, then the result' }), ...writeErrors },
      },
    },
    async (req, reply) => {
      const { limit, ...draft } = req.body;
      const events = await deps.replay.prepare(draft, limit ?? 1000);
      // closing the connection ends the replay: the stream stops pulling from it
      const log = req.log;
      const lines = Readable.from((async function* () {
        try {
          for await (const e of events) yield `${JSON.stringify(e)}\n`;
        } catch (err) {
          // the answer has begun: a failure after it is the stream's last line, not a status
          log.error({ err }, 'a rules replay failed');
          yield `${JSON.stringify({ type: 'error', error: { code: 'INTERNAL', message: 'the replay failed; try again' } })}\n`;
        }
      })());
      return reply.type('application/x-ndjson').header('cache-control', 'no-store').send(lines);
    },
  );

  api.get(
    '/api/v1/rules/versions',
    { ...read, schema: { summary: 'Every version of the configuration, newest first', ...readDoc, querystring: VersionPageQuery, response: { 200: VersionPage, ...readErrors } } },
    async (req) => {
      // the schema's default fills it in
      const limit = req.query.limit!;
      const items = await rules.versions({ limit, before: req.query.cursor });
      return { items, nextCursor: items.length === limit ? items[items.length - 1]!.version : null };
    },
  );

  api.get(
    '/api/v1/rules/versions/:version',
    { ...read, schema: { summary: 'One version of the configuration', ...readDoc, params: VersionParams, response: { 200: document, ...readErrors } } },
    async (req) => rules.getVersion(req.params.version),
  );

  api.post(
    '/api/v1/rules/versions/:version/restore',
    {
      ...write,
      schema: {
        summary: 'Make an earlier version the one in force, as a new version',
        ...writeDoc,
        params: VersionParams,
        querystring: ExpectVersionQuery,
        response: { 200: document, ...writeErrors },
      },
    },
    async (req) => rules.restore(req.actor!, req.params.version, req.query.version),
  );

  api.get(
    '/api/v1/rules/audit',
    { ...read, schema: { summary: 'Who changed what, with the rule before and after; newest first', ...readDoc, querystring: AuditPageQuery, response: { 200: AuditPage, ...readErrors } } },
    async (req) => {
      const limit = req.query.limit!;
      const items = await rules.audit({ limit, before: req.query.cursor, target: req.query.rule });
      return { items, nextCursor: items.length === limit ? items[items.length - 1]!.id : null };
    },
  );

  api.get(
    '/api/v1/rules/:id',
    { ...read, schema: { summary: 'One rule and its position', ...readDoc, params: RuleIdParams, response: { 200: RuleAtPosition, ...readErrors } } },
    async (req) => rules.rule(req.params.id),
  );

  api.patch(
    '/api/v1/rules/:id',
    {
      ...write,
      schema: { summary: 'Change or move a rule', ...writeDoc, params: RuleIdParams, querystring: ExpectVersionQuery, body: RulePatchBody, response: { 200: RuleAtPosition, ...writeErrors } },
    },
    async (req) => rules.updateRule(req.actor!, req.params.id, req.body, req.query.version),
  );

  api.delete(
    '/api/v1/rules/:id',
    {
      ...write,
      schema: { summary: 'Remove a rule', ...writeDoc, params: RuleIdParams, querystring: ExpectVersionQuery, response: { 200: RuleDeleted, ...writeErrors } },
    },
    async (req) => rules.deleteRule(req.actor!, req.params.id, req.query.version),
  );
}
