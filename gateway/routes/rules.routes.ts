import type { FastifyInstance } from 'fastify';
import type { Sql } from '../../store/sql.ts';
import { BODY_LIMITS } from '../body-limits.ts';
import type { Authenticator } from '../auth.ts';
import { assertTextFits } from '../pipeline/ingest.ts';
import type { ConfigPatch, RulePatch, RulesService } from '../rules/rules.service.ts';
import { simulate, type SimulateRequest } from '../rules/simulate.ts';
import type { Rule } from '../../routing/rule.types.ts';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';


const ruleIdParam = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const versionParam = { type: 'object', required: ['version'], properties: { version: { type: 'integer', minimum: 1 } } } as const;
/** `?version=N`: refuse the change (409) unless the rules are still at version N */
const expectQuery = { type: 'object', additionalProperties: false, properties: { version: { type: 'integer', minimum: 1 } } } as const;
const pageQuery = (extra: Record<string, unknown> = {}) =>
  ({
    type: 'object',
    additionalProperties: false,
    properties: { limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 }, cursor: { type: 'integer', minimum: 1 }, ...extra },
  }) as const;

// Shapes only: the rules' own validator checks the content, naming the exact path of each problem.
const anyObject = { type: 'object' } as const;
const ruleBody = {
  type: 'object',
  required: ['id', 'when', 'then'],
  properties: { id: { type: 'string' }, position: { type: 'integer', minimum: 0 }, when: anyObject, then: anyObject },
} as const;
const rulePatchBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { name: { type: ['string', 'null'] }, enabled: { type: 'boolean' }, when: anyObject, then: anyObject, position: { type: 'integer', minimum: 0 } },
} as const;
const configPatchBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { rules: { type: 'array' }, lexicon: anyObject, templates: anyObject, businessHours: { type: ['object', 'null'] } },
} as const;
const simulateBody = {
  type: 'object',
  required: ['channel', 'from', 'text'],
  additionalProperties: false,
  properties: {
    channel: { type: 'string', enum: CHANNEL_NAMES },
    from: { type: 'string', minLength: 1, maxLength: 320 },
    subject: { type: 'string', maxLength: 1000 },
    text: { type: 'string' },
    contact: {
      type: 'object',
      additionalProperties: false,
      properties: {
        name: { type: ['string', 'null'], maxLength: 200 },
        email: { type: ['string', 'null'], maxLength: 320 },
        tier: { type: ['string', 'null'], maxLength: 100 },
        vip: { type: 'boolean' },
        accountName: { type: ['string', 'null'], maxLength: 200 },
      },
    },
    case: {
      type: 'object',
      additionalProperties: false,
      required: ['state', 'priority'],
      properties: {
        state: { type: 'string', enum: ['new', 'open', 'awaiting_customer', 'resolved', 'closed'] },
        priority: { type: 'integer', minimum: 1, maximum: 4 },
        tags: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 200 } },
        inboundCount: { type: 'integer', minimum: 1 },
      },
    },
    at: { type: 'string', format: 'date-time' },
  },
} as const;

const expected = (q: unknown): number | undefined => (q as { version?: number }).version;

/**
 * The routing rules as data. Supervisors read rules, versions and the audit trail and may simulate;
 * only admins change anything. Every accepted change is a new version, audited; a refused one changes
 * nothing and names the exact path of each problem.
 */
export function registerRuleRoutes(app: FastifyInstance, deps: { rules: RulesService; sql: Sql; auth: Authenticator; now: () => Date }): void {
  const { rules, sql, auth } = deps;
  const read = { onRequest: auth.require('supervisor') };
  const write = { onRequest: auth.require('admin') };

  app.get('/api/v1/rules', read, async () => rules.document());

  app.patch('/api/v1/rules', { ...write, bodyLimit: BODY_LIMITS.ruleSet, schema: { querystring: expectQuery, body: configPatchBody } }, async (req) =>
    rules.patchConfig(req.actor!, req.body as ConfigPatch, expected(req.query)),
  );

  app.post('/api/v1/rules', { ...write, schema: { querystring: expectQuery, body: ruleBody } }, async (req, reply) => {
    const created = await rules.createRule(req.actor!, req.body as Rule & { position?: number }, expected(req.query));
    return reply.code(201).send(created);
  });

  app.post('/api/v1/rules/simulate', { ...read, bodyLimit: BODY_LIMITS.messageText, schema: { body: simulateBody } }, async (req) => {
    const body = req.body as SimulateRequest;
    assertTextFits(body.text);
    return simulate(rules, sql, body, deps.now());
  });

  app.get('/api/v1/rules/versions', { ...read, schema: { querystring: pageQuery() } }, async (req) => {
    const q = req.query as { limit: number; cursor?: number };
    const items = await rules.versions({ limit: q.limit, before: q.cursor });
    return { items, nextCursor: items.length === q.limit ? items[items.length - 1]!.version : null };
  });

  app.get('/api/v1/rules/versions/:version', { ...read, schema: { params: versionParam } }, async (req) =>
    rules.getVersion((req.params as { version: number }).version),
  );

  app.post('/api/v1/rules/versions/:version/restore', { ...write, schema: { params: versionParam, querystring: expectQuery } }, async (req) =>
    rules.restore(req.actor!, (req.params as { version: number }).version, expected(req.query)),
  );

  app.get('/api/v1/rules/audit', { ...read, schema: { querystring: pageQuery({ rule: { type: 'string', maxLength: 100 } }) } }, async (req) => {
    const q = req.query as { limit: number; cursor?: number; rule?: string };
    const items = await rules.audit({ limit: q.limit, before: q.cursor, target: q.rule });
    return { items, nextCursor: items.length === q.limit ? items[items.length - 1]!.id : null };
  });

  app.get('/api/v1/rules/:id', { ...read, schema: { params: ruleIdParam } }, async (req) => rules.rule((req.params as { id: string }).id));

  app.patch('/api/v1/rules/:id', { ...write, schema: { params: ruleIdParam, querystring: expectQuery, body: rulePatchBody } }, async (req) =>
    rules.updateRule(req.actor!, (req.params as { id: string }).id, req.body as RulePatch, expected(req.query)),
  );

  app.delete('/api/v1/rules/:id', { ...write, schema: { params: ruleIdParam, querystring: expectQuery } }, async (req) =>
    rules.deleteRule(req.actor!, (req.params as { id: string }).id, expected(req.query)),
  );
}
