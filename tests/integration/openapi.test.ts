/**
 * The OpenAPI document is generated from the schemas the routes declare: it lists every route the app
 * serves, with real request and response shapes; the browsable UI works offline; responses keep every
 * property the handlers produce; validation messages name the property and what is allowed.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, type TestApp } from '../support/test-app.ts';
import { startAppWithSlack, type SlackTestApp } from '../support/fake-slack-api.ts';
import { smsTestEnv, startFakeTwilioApi, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { toAgentView } from '../../store/directory.repository.ts';
import { simulate } from '../../gateway/rules/simulate.ts';

let s: SlackTestApp;
let twilio: FakeTwilioApi;
let t: TestApp;
let doc: any;

beforeAll(async () => {
  // every channel on, so each serves its real webhook routes
  twilio = await startFakeTwilioApi();
  s = await startAppWithSlack({ ...smsTestEnv(twilio), EMAIL_WEBHOOK_TOKEN: 'hook-token' });
  t = s.t;
  const res = await fetch(`${t.url}/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(async () => {
  await s.close();
  await twilio.close();
});

/** `METHOD /path/{param}` of every route, read from Fastify's route tree. */
function servedRoutes(tree: string): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const path = (parents[depth - 1] ?? '') + m[2]!;
    parents[depth] = path;
    for (const method of m[3]?.split(', ') ?? []) routes.push(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
  }
  return routes;
}

function operations(): Array<[string, any]> {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops as object).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op] as [string, any]));
}

function component(ref: string): any {
  expect(ref).toMatch(/^#\/components\/schemas\//);
  return doc.components.schemas[ref.split('/').pop()!];
}

const jsonSchema = (response: any) => response.content['application/json'].schema;

describe('GET /openapi.json', () => {
  it('lists every route the app serves, and nothing else (its own and the UI’s routes aside)', () => {
    const served = servedRoutes(t.app.printRoutes({ commonPrefix: false })).filter(
      // the workspace's built files are files, not API: the page that loads them is documented
      (r) => !r.startsWith('HEAD ') && !/^GET \/(docs|openapi\.json)/.test(r) && !/^GET \/console\/(assets\/)?\*$/.test(r),
    );
    expect(served).toContain('GET /api/v1/stream');
    expect(served).toContain('POST /webhooks/twilio/sms');
    const documented = operations().map(([key]) => key);
    expect({ undocumented: served.filter((r) => !documented.includes(r)), unserved: documented.filter((r) => !served.includes(r)) }).toEqual({ undocumented: [], unserved: [] });
  });

  it('API routes say what they do, are tagged and need the bearer token; public routes need none', () => {
    for (const [key, op] of operations()) {
      const path = key.split(' ')[1]!;
      if (path.startsWith('/api/v1/')) {
        expect({ key, summary: typeof op.summary, tags: op.tags?.length > 0, security: op.security, role: op['x-role'] }).toEqual({
          key,
          summary: 'string',
          tags: true,
          security: [{ bearer: [] }, { session: [] }],
          role: expect.stringMatching(/^(agent|supervisor|admin)$/),
        });
        expect(op.responses['401'], key).toBeDefined();
        expect(op.responses['403'], key).toBeDefined();
      } else if (['GET /auth/session', 'POST /auth/sign-out', 'POST /auth/sign-out-everywhere'].includes(key)) {
        expect(op.security, key).toEqual([{ session: [] }]);
      } else {
        expect(op.security ?? [], key).toEqual([]);
      }
    }
    expect(doc.security).toBeUndefined();
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'sb_session' });
    for (const key of ['GET /healthz', 'POST /chat/sessions', 'POST /webhooks/email', 'POST /webhooks/twilio/sms', 'POST /webhooks/twilio/status', 'POST /slack/events']) {
      const op = operations().find(([k]) => k === key)![1];
      expect({ key, summary: typeof op.summary, tags: op.tags }).toEqual({ key, summary: 'string', tags: [key.includes('chat') ? 'chat' : key.includes('healthz') ? 'ops' : 'webhooks'] });
    }
  });

  it('the case list answers items with every case property and a nullable cursor', () => {
    const op = doc.paths['/api/v1/cases'].get;
    expect(op.parameters.map((p: any) => p.name)).toEqual(['state', 'queue', 'channel', 'priority', 'contact', 'assignee', 'offeredTo', 'contactId', 'accountId', 'tag', 'q', 'sort', 'sla', 'limit', 'cursor']);
    expect(op.parameters.find((p: any) => p.name === 'limit').schema).toMatchObject({ type: 'integer', maximum: 200, default: 50 });
    const page = jsonSchema(op.responses['200']);
    expect(page.properties.nextCursor).toMatchObject({ type: 'string', nullable: true });
    const kase = component(page.properties.items.items.$ref);
    expect(Object.keys(kase.properties)).toEqual(
      expect.arrayContaining(['number', 'state', 'priority', 'channel', 'subject', 'queue', 'assignee', 'category', 'sentiment', 'tags', 'contact', 'createdAt', 'updatedAt']),
    );
    expect(kase.properties.state.enum).toEqual(['new', 'open', 'awaiting_customer', 'resolved', 'closed']);
    expect(Object.keys(kase.properties.contact.properties)).toEqual(['name', 'email', 'phone']);
    const detail = component(jsonSchema(doc.paths['/api/v1/cases/{number}'].get.responses['200']).$ref);
    expect(component(detail.properties.interactions.items.$ref).properties).toHaveProperty('direction');
  });

  it('every 4xx answer is the error shape', () => {
    const error = doc.components.schemas.Error;
    expect(error.properties.error.required).toEqual(['code', 'message']);
    let checked = 0;
    for (const [key, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        if (!status.startsWith('4')) continue;
        // the gateway's routes name the shared schema; the channels' webhooks carry the same shape inline
        const schema = jsonSchema(response);
        const shape = schema.$ref === '#/components/schemas/Error' ? error : schema;
        expect({ key, status, required: shape.properties?.error?.required, description: typeof response.description }).toEqual({
          key,
          status,
          required: ['code', 'message'],
          description: 'string',
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('request bodies carry their constraints', () => {
    const patch = doc.paths['/api/v1/cases/{number}'].patch.requestBody.content['application/json'].schema;
    expect(patch).toMatchObject({ additionalProperties: false, minProperties: 1 });
    expect(patch.properties.priority).toMatchObject({ type: 'integer', minimum: 1, maximum: 4 });
    expect(patch.properties.assignee).toMatchObject({ type: 'string', nullable: true });
    const simulate = doc.paths['/api/v1/rules/simulate'].post.requestBody.content['application/json'].schema;
    expect(simulate.required).toEqual(['channel', 'from', 'text']);
    expect(simulate.properties.channel.enum).toEqual(['chat', 'email', 'sms', 'slack']);
  });
});

describe('GET /docs', () => {
  it('serves the UI with its own script files: it works offline', async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.some((src) => src.endsWith('/swagger-ui-bundle.js'))).toBe(true);
    for (const src of scripts) {
      expect(src.startsWith('/docs/')).toBe(true);
      const js = await fetch(new URL(src, `${t.url}/docs`));
      const size = (await js.arrayBuffer()).byteLength;
      expect({ src, status: js.status, type: js.headers.get('content-type'), served: size > 0 }).toEqual({ src, status: 200, type: expect.stringMatching(/javascript/), served: true });
    }
    expect(page.headers.get('content-security-policy')).not.toMatch(/https?:/);
    // the document the UI loads is the one served at /openapi.json
    expect(await (await fetch(`${t.url}/docs/json`)).json()).toEqual(doc);
  });
});

describe('responses keep every property the handlers produce', () => {
  it('a case with its interactions and routing explanation; the agents; the rules; a simulation', async () => {
    const c = await ChatClient.open(t.url, { name: 'Ola Docs', email: 'ola-docs@example.com' });
    c.send({ type: 'message', id: 'm1', text: 'I was charged twice for my invoice, please refund' });
    await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=ola-docs@example.com')).body.items[0]);
    await c.close();
    const { cases, rules, db, slaClocks } = t.app.switchboard;
    await slaClocks.settled();
    // a running SLA clock's remaining seconds tick on between two reads
    const withoutTicks = (v: unknown) => JSON.parse(JSON.stringify(v, (k, x) => (k === 'remainingSeconds' ? undefined : x)));
    const listed = (await t.api('GET', '/api/v1/cases?contact=ola-docs@example.com')).body.items[0];
    expect(listed.sla).toMatchObject({ policy: 'Standard', firstResponse: { state: 'running', business: true } });

    const detail = (await t.api('GET', `/api/v1/cases/${listed.number}`)).body;
    expect(withoutTicks(detail)).toEqual(withoutTicks(await cases.get(listed.number)));
    expect(detail.routing.trace.length).toBeGreaterThan(0);
    const { interactions: _i, routing: _r, ...caseOnly } = detail;
    expect(withoutTicks(listed)).toEqual(withoutTicks({ ...caseOnly, updatedAt: listed.updatedAt }));

    const agents = (await t.api('GET', '/api/v1/agents')).body.items;
    const slackUsers = new Map((await inStore(db).channelLink.findMany({ where: { channel: 'slack', kind: 'agent' } })).map((l) => [l.targetId, l.externalId]));
    expect(agents).toEqual((await inStore(db).agent.findMany({ orderBy: { createdAt: 'asc' } })).map((a) => toAgentView(a, slackUsers.get(a.id) ?? null)));

    expect((await t.api('GET', '/api/v1/rules')).body).toEqual(JSON.parse(JSON.stringify(rules.document())));

    const sample = { channel: 'email' as const, from: 'vip@bigcorp.test', subject: 'Outage', text: 'Everything is down, urgent!', at: '2024-05-14T09:30:00Z' };
    const simulated = (await t.api('POST', '/api/v1/rules/simulate', sample)).body;
    expect(simulated).toEqual(JSON.parse(JSON.stringify(await simulate(rules, db.read, sample, new Date()))));
  });
});

describe('validation errors name the property and what is allowed', () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['PATCH', '/api/v1/cases/CS0000001', { state: 'exploded' }, 'body/state must be one of: new, open, awaiting_customer, resolved, closed'],
    ['PATCH', '/api/v1/cases/CS0000001', { priority: 2, foo: 1 }, 'body has an unknown property "foo"'],
    ['PATCH', '/api/v1/cases/CS0000001', { priority: 9 }, 'body/priority must be ≤ 4'],
    ['PATCH', '/api/v1/cases/CS0000001', { assignee: 5 }, 'body/assignee must be a string or null'],
    ['GET', '/api/v1/cases?limit=1000', undefined, 'querystring/limit must be ≤ 200'],
    ['GET', '/api/v1/cases?colour=red', undefined, 'querystring has an unknown property "colour"'],
    ['POST', '/api/v1/cases/CS0000001/replies', { text: 42 }, 'body/text must be a string'],
    ['POST', '/api/v1/agents', { skills: [] }, 'body/name is required'],
    ['POST', '/api/v1/agents', { name: 'Kim', capacity: { fax: 2 } }, 'body/capacity has an unknown property "fax" (allowed: chat, email, sms, slack)'],
    ['PUT', '/api/v1/agents/someone/presence', { presence: 'asleep' }, 'body/presence must be one of: online, busy, break, away, offline'],
    ['GET', '/api/v1/rules/versions/first', undefined, 'params/version must be an integer'],
  ];

  it.each(cases)('%s %s %j', async (method, path, body, message) => {
    const res = await t.api(method, path, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ code: 'VALIDATION_FAILED', message, details: [{ path: message.split(' ')[0], message: message.slice(message.indexOf(' ') + 1) }] });
  });

  it.each([
    ['[1, 2]', 'body must be an object or null'],
    ['{"nickname": "x"}', 'body has an unknown property "nickname"'],
    ['{"email": "not-an-email"}', 'body/email must be a valid email'],
  ])('the chat session body (an object or null): %s', async (body, message) => {
    const res = await fetch(`${t.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toBe(message);
  });
});
