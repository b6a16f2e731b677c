/**
 * Operations endpoints on the real app: /metrics (Prometheus, for the admin token or METRICS_TOKEN) shows
 * what the gateway did, and /readyz names what keeps the instance from taking traffic.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN, ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { startAppWithSlack } from '../support/fake-slack-api.ts';
import { smsTestEnv, startFakeTwilioApi, TEST_TWILIO, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';

const METRICS_TOKEN = 'scraper-token-0123456789';

/** One sample of the exposition text: `name{label="value",...} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** the value of the one sample named `name` whose labels include `labels`, or undefined */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} matches ${hits.length} samples`);
  return hits[0]?.value;
}

async function scrape(t: TestApp, token = METRICS_TOKEN): Promise<Sample[]> {
  const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

async function readyz(t: TestApp): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/readyz`);
  return { status: res.status, body: await res.json() };
}

describe('/metrics', () => {
  let t: TestApp;
  let agent: { id: string; token: string };
  const chats: ChatClient[] = [];

  beforeAll(async () => {
    t = await startApp({ METRICS_TOKEN });
    const res = await t.api('POST', '/api/v1/agents', { name: 'Mia Agent', email: 'mia@support.test', presence: 'online' });
    expect(res.status).toBe(201);
    agent = res.body;
  });
  afterAll(async () => {
    await Promise.all(chats.map((c) => c.close()));
    await t.close();
  });

  it('is never public: 401 without a token or with a wrong one, 403 for an agent', async () => {
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer scraper-token-0123456780' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const asAgent = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${agent.token}` } });
    expect(asAgent.status).toBe(403);
  });

  it('refuses to start with a METRICS_TOKEN anyone could guess', async () => {
    await expect(startApp({ METRICS_TOKEN: 'short' })).rejects.toMatchObject({ name: 'SettingError', setting: 'METRICS_TOKEN' });
  });

  it('is served in the Prometheus text format for the metrics token and for an admin token', async () => {
    for (const token of [METRICS_TOKEN, 'test-admin-token']) {
      const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await res.text();
      expect(text).toContain('# TYPE switchboard_ingested_messages_total counter');
      expect(text).toContain('# TYPE switchboard_pipeline_lag_seconds histogram');
      expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
    }
  });

  it('counts a chat message, its processing, the answer, the offer and the open connections', async () => {
    const before = await scrape(t);
    expect(valueOf(before, 'switchboard_ingested_messages_total', { channel: 'chat', duplicate: 'false' })).toBe(0);
    expect(valueOf(before, 'switchboard_pipeline_lag_seconds_count', { channel: 'chat' })).toBe(0);

    const visitor = await ChatClient.open(t.url, { name: 'Ola', email: 'ola@example.com' });
    chats.push(visitor);
    visitor.send({ type: 'message', id: 'q1', text: 'My parcel never arrived' });
    visitor.send({ type: 'message', id: 'q1', text: 'My parcel never arrived' });
    await eventually(async () => visitor.frames.filter((f) => f.type === 'ack').length === 2);
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=ola%40example.com')).body.items[0]);
    await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.offeredTo === agent.id, 10_000, 'the offer');

    const stream = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/stream?access_token=${agent.token}`);
    await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));

    const opened = await scrape(t);
    expect(valueOf(opened, 'switchboard_ingested_messages_total', { channel: 'chat', duplicate: 'false' })).toBe(1);
    expect(valueOf(opened, 'switchboard_ingested_messages_total', { channel: 'chat', duplicate: 'true' })).toBe(1);
    expect(valueOf(opened, 'switchboard_pipeline_lag_seconds_count', { channel: 'chat' })).toBe(1);
    expect(valueOf(opened, 'switchboard_pipeline_lag_seconds_bucket', { channel: 'chat', le: '+Inf' })).toBe(1);
    expect(valueOf(opened, 'switchboard_offers_total', { outcome: 'made' })).toBe(1);
    expect(valueOf(opened, 'switchboard_open_cases', { queue: kase.queue, state: 'new' })).toBe(1);
    expect(valueOf(opened, 'switchboard_open_cases', { queue: 'General', state: 'new' })).toBe(0);
    expect(valueOf(opened, 'switchboard_websocket_connections', { endpoint: 'chat' })).toBe(1);
    expect(valueOf(opened, 'switchboard_websocket_connections', { endpoint: 'agent_stream' })).toBe(1);
    expect(valueOf(opened, 'switchboard_db_transaction_seconds_count', { path: 'group_commit' })).toBeGreaterThan(0);
    // one write path: every transaction is a group commit
    expect(valueOf(opened, 'switchboard_db_transaction_seconds_count', { path: 'transaction' })).toBeUndefined();

    expect((await t.api('POST', `/api/v1/cases/${kase.number}/claim`, undefined, agent.token)).status).toBe(200);
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'A new one is on its way.' }, agent.token)).status).toBe(202);
    await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    const answered = await eventually(async () => {
      const s = await scrape(t);
      return valueOf(s, 'switchboard_outbox_sent_total', { channel: 'chat' }) === 1 ? s : null;
    }, 10_000, 'the send to be counted');
    expect(valueOf(answered, 'switchboard_offers_total', { outcome: 'accepted' })).toBe(1);
    expect(valueOf(answered, 'switchboard_outbox_send_failures_total', { channel: 'chat', kind: 'retryable' })).toBe(0);
    expect(valueOf(answered, 'switchboard_open_cases', { queue: kase.queue, state: 'new' })).toBe(0);
    expect(valueOf(answered, 'switchboard_open_cases', { queue: kase.queue, state: 'awaiting_customer' })).toBe(1);
    expect(valueOf(answered, 'switchboard_outbox_backlog', { channel: 'chat', state: 'due' })).toBe(0);

    await new Promise((resolve) => stream.once('close', resolve).close());
    await visitor.close();
    await eventually(async () => {
      const s = await scrape(t);
      return valueOf(s, 'switchboard_websocket_connections', { endpoint: 'agent_stream' }) === 0 && valueOf(s, 'switchboard_websocket_connections', { endpoint: 'chat' }) === 0;
    }, 10_000, 'both sockets to be counted closed');
  });
});

describe('/metrics on sends that fail', () => {
  let api: FakeTwilioApi;
  let t: TestApp;
  beforeAll(async () => {
    api = await startFakeTwilioApi({ authToken: TEST_TWILIO.authToken });
    // a retry waits a minute: the answer stays in the backlog for the whole test
    t = await startApp({ ...smsTestEnv(api), METRICS_TOKEN, OUTBOX_RETRY_BASE_MS: '60000', OUTBOX_RETRY_MAX_MS: '60000' });
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  async function answerSms(phone: string, text: string): Promise<string> {
    expect((await textTheApp(t, phone, 'Where is my order?')).status).toBe(200);
    const [kase] = (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent(phone)}`)).body.items;
    const res = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text });
    expect(res.status).toBe(202);
    return res.body.interactionId;
  }

  it('counts a provider outage as retryable, keeps the answer in the backlog, and counts a refused number as permanent', async () => {
    api.failNext(1, { status: 503, code: 20503, message: 'Service unavailable' });
    await answerSms('+447700900801', 'Tomorrow morning.');
    const waiting = await eventually(async () => {
      const s = await scrape(t);
      return valueOf(s, 'switchboard_outbox_send_failures_total', { channel: 'sms', kind: 'retryable' }) === 1 ? s : null;
    }, 10_000, 'the retryable failure');
    expect(valueOf(waiting, 'switchboard_outbox_backlog', { channel: 'sms', state: 'waiting' })).toBe(1);
    expect(valueOf(waiting, 'switchboard_outbox_backlog', { channel: 'sms', state: 'due' })).toBe(0);
    expect(valueOf(waiting, 'switchboard_ingested_messages_total', { channel: 'sms', duplicate: 'false' })).toBe(1);

    api.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    await answerSms('+447700900802', 'On its way.');
    const failed = await eventually(async () => {
      const s = await scrape(t);
      return valueOf(s, 'switchboard_outbox_send_failures_total', { channel: 'sms', kind: 'permanent' }) === 1 ? s : null;
    }, 10_000, 'the permanent failure');
    expect(valueOf(failed, 'switchboard_outbox_sent_total', { channel: 'sms' })).toBe(0);
    expect(valueOf(failed, 'switchboard_outbox_backlog', { channel: 'sms', state: 'waiting' })).toBe(1);
    expect(valueOf(failed, 'switchboard_pipeline_lag_seconds_count', { channel: 'sms' })).toBe(2);
  });
});

describe('/readyz', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
  });
  async function boot(...args: Parameters<typeof startApp>): Promise<TestApp> {
    const t = await startApp(...args);
    apps.push(t);
    return t;
  }

  it('is public and names each check; /healthz stays a bare liveness answer', async () => {
    const t = await boot({}, { smtpListenPort: 0 });
    expect(await readyz(t)).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', http: 'ok', smtp: 'ok' } } });
    const health = await fetch(`${t.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 naming the database once the store is closed', async () => {
    const t = await boot();
    expect((await readyz(t)).status).toBe(200);
    await t.app.switchboard.db.close();
    // a probe reuses the store check of the last half second
    const down = await eventually(async () => {
      const r = await readyz(t);
      return r.status === 503 ? r : null;
    });
    expect(down).toEqual({ status: 503, body: { status: 'not_ready', checks: { database: 'unavailable', http: 'ok' } } });
  });

  it('probes arriving together share one store check', async () => {
    const t = await boot();
    await readyz(t);
    // the admin token's first use is noted (a write of its own) before counting
    await scrape(t, ADMIN);
    // the store checks of the last half second are done; the next probes make one more between them
    await new Promise((r) => setTimeout(r, 600));
    const commits = async () => valueOf(await scrape(t, ADMIN), 'switchboard_db_transaction_seconds_count', { path: 'group_commit' }) ?? NaN;
    const before = await commits();
    const answers = await Promise.all(Array.from({ length: 20 }, () => readyz(t)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect((await commits()) - before).toBe(1);
  });

  it('answers 503 while a write holds the store past the probe timeout, and 200 once it ends', async () => {
    const t = await boot();
    let release!: () => void;
    const held = t.app.switchboard.db.transaction(() => new Promise<void>((resolve) => (release = resolve)));
    try {
      expect(await readyz(t)).toEqual({ status: 503, body: { status: 'not_ready', checks: { database: 'timed out', http: 'ok' } } });
    } finally {
      release();
      await held;
    }
    const up = await eventually(async () => ((await readyz(t)).status === 200 ? true : null));
    expect(up).toBe(true);
  });

  it('follows the Slack Socket Mode connection', async () => {
    const s = await startAppWithSlack({ SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: 'xapp-fake-app-token' });
    try {
      await s.fake.socket.waitConnected();
      const up = await eventually(async () => {
        const r = await readyz(s.t);
        return r.status === 200 ? r : null;
      }, 10_000, 'ready');
      expect(up.body.checks).toEqual({ database: 'ok', http: 'ok', slack_socket_mode: 'ok' });
      await s.fake.close();
      const down = await eventually(async () => {
        const r = await readyz(s.t);
        return r.status === 503 ? r : null;
      }, 10_000, 'not ready');
      expect(down.body).toEqual({ status: 'not_ready', checks: { database: 'ok', http: 'ok', slack_socket_mode: 'not connected' } });
    } finally {
      await s.t.close();
    }
  });
});
