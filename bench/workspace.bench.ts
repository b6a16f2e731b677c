/**
 * The workspace with a full floor, on SQLite: 10,000 open cases of 10 messages each (100,000 interactions,
 * written straight into the store), then in Debian's Chromium
 *   - the first load, cold: bytes on the wire of the page, its script and style, and the API answers it reads, and the
 *     time from navigation to an inbox showing its first cases (signed in already: the cookie is set);
 *   - search over every message: latency of `GET /api/v1/cases?q=` for a rare word, a common word and a prefix;
 *   - a live update: from a chat visitor's message to its case's row in the open inbox;
 *   - a replay of a draft rule set over the newest 10,000 stored customer messages: time to its result, and
 *     /healthz latency meanwhile (the replay must leave the event loop to others).
 *   npm run bench -- --only workspace
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../gateway/app.ts';
import { loadConfig } from '../gateway/config.ts';
import { launchChromium } from '../tests/support/browser.ts';
import { ChatClient } from '../tests/support/test-app.ts';
import { spread, round, type Spread } from './lib/stats.ts';

export interface WorkspaceCost {
  cases: number;
  interactions: number;
  firstLoad: { ms: number; pageBytes: number; apiBytes: number; requests: number };
  search: Record<string, Spread & { hits: number }>;
  liveUpdateMs: Spread;
  replay: { messages: number; ms: number; progressLines: number; healthzMs: Spread };
}

const ADMIN = 'bench-admin-token-0123456789';
const PASSWORD = 'bench password for the workspace';
const WORDS = ['order', 'delivery', 'refund', 'invoice', 'password', 'login', 'broken', 'screen', 'charger', 'warranty', 'upgrade', 'cancel', 'address', 'parcel', 'tracking', 'discount'];

export async function benchWorkspace(size: { cases: number; perCase: number; searches: number; updates: number }): Promise<WorkspaceCost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-ws-'));
  const app = await buildApp(loadConfig({ DATA_DIR: dir, PORT: '0', ADMIN_TOKEN: ADMIN, SMTP_PORT: '0', LOG_LEVEL: 'warn' }), { logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const api = async (method: string, p: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) => {
    const res = await fetch(url + p, { method, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { res, body: res.status === 204 ? null : await res.json() };
  };
  try {
    await seed(app.switchboard.db, size.cases, size.perCase);
    const agent = (await api('POST', '/api/v1/agents', { name: 'Bench Agent', email: 'bench@support.test' })).body;
    await api('POST', `/auth/invitations/${agent.invite.url.split('#/invite/')[1]}`, { password: PASSWORD }, {});

    const search: WorkspaceCost['search'] = {};
    for (const [label, q] of [['rare word', 'zyzzyva'], ['common word', 'refund'], ['prefix', 'deliv'], ['two words', 'broken charger']] as const) {
      const times: number[] = [];
      let hits = 0;
      for (let i = 0; i < size.searches; i++) {
        const t0 = performance.now();
        const { body } = await api('GET', `/api/v1/cases?q=${encodeURIComponent(q)}&limit=50`);
        times.push(performance.now() - t0);
        hits = body.items.length;
      }
      search[label] = { ...spread(times), hits };
    }

    const replay = await measureReplay(url, 10_000);

    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 860 } });
      const signIn = await api('POST', '/auth/sign-in', { email: 'bench@support.test', password: PASSWORD }, {});
      const cookie = /sb_session=([^;]+)/.exec(signIn.res.headers.get('set-cookie') ?? '')![1]!;
      await context.addCookies([{ name: 'sb_session', value: cookie, url }]);
      const page = await context.newPage();
      let pageBytes = 0;
      let apiBytes = 0;
      let requests = 0;
      // bytes on the wire: bodies as sent (compressed where the browser took it)
      page.on('requestfinished', (req) => {
        void req.sizes().then(
          (sizes) => {
            requests++;
            const p = new URL(req.url()).pathname;
            if (p.startsWith('/api/') || p.startsWith('/auth/')) apiBytes += sizes.responseBodySize;
            else pageBytes += sizes.responseBodySize;
          },
          () => undefined,
        );
      });
      const t0 = performance.now();
      await page.goto(`${url}/console/`);
      await page.getByRole('tab', { name: /All open/u }).click();
      await page.getByRole('tabpanel').getByRole('link').first().waitFor();
      const firstLoadMs = performance.now() - t0;
      await page.waitForLoadState('networkidle');

      // newest first: each visitor's new case comes in at the top of the list
      await page.getByLabel('Sort').selectOption({ label: 'Newest first' });
      await page.getByRole('tabpanel').getByRole('link').first().waitFor();
      const updates: number[] = [];
      for (let i = 0; i < size.updates; i++) {
        const visitor = await ChatClient.open(url, { name: `Live Visitor ${i}`, email: `live${i}@example.com` });
        await visitor.waitFor((f) => f.type === 'history');
        const t1 = performance.now();
        visitor.send({ type: 'message', id: `live-${i}`, text: 'is anyone there?' });
        await page.getByRole('tabpanel').getByRole('link', { name: new RegExp(`Live Visitor ${i}\\b`, 'u') }).waitFor();
        updates.push(performance.now() - t1);
        await visitor.close();
      }
      return {
        cases: size.cases,
        interactions: size.cases * size.perCase,
        firstLoad: { ms: round(firstLoadMs), pageBytes, apiBytes, requests },
        search,
        liveUpdateMs: spread(updates),
        replay,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A draft with one more keyword rule, replayed over the newest `limit` stored messages, with /healthz polled meanwhile. */
async function measureReplay(url: string, limit: number): Promise<WorkspaceCost['replay']> {
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  const live = (await (await fetch(`${url}/api/v1/rules`, { headers })).json()) as { rules: unknown[] };
  const draft = { rules: [{ id: 'bench-refunds', when: { keywords: ['refund'] }, then: { queue: 'Billing', priority: 2 } }, ...live.rules], limit };
  const healthz: number[] = [];
  let running = true;
  const poll = (async () => {
    while (running) {
      const t0 = performance.now();
      await fetch(`${url}/healthz`);
      healthz.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const res = await fetch(`${url}/api/v1/rules/replay`, { method: 'POST', headers, body: JSON.stringify(draft) });
  const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; total?: number });
  const ms = performance.now() - t0;
  running = false;
  await poll;
  const result = lines.at(-1)!;
  if (result.type !== 'result') throw new Error(`replay ended with ${JSON.stringify(result)}`);
  return { messages: result.total!, ms: round(ms), progressLines: lines.length - 1, healthzMs: spread(healthz) };
}

/** Open cases with their contacts and messages, written straight into the store in one transaction. */
async function seed(db: import('../store/db.ts').Db, cases: number, perCase: number): Promise<void> {
  const now = Date.now();
  await db.transaction(async (tx) => {
    const general = (await tx.firstOf((qb) => qb.selectFrom('Queue').select('id').where('name', '=', 'General')))!.id;
    for (let i = 0; i < cases; i++) {
      const at = new Date(now - (cases - i) * 60_000);
      await tx.runOf((qb) => qb.insertInto('Contact').values({ id: `ws-contact-${i}`, name: `Customer ${i}`, email: `customer${i}@example.com`, createdAt: at, updatedAt: at }));
      await tx.runOf((qb) =>
        qb.insertInto('Case').values({ id: 1_000 + i, state: i % 3 === 0 ? 'open' : 'new', channel: 'email', priority: 1 + (i % 4), queueId: general, subject: `About my ${WORDS[i % WORDS.length]}`, contactId: `ws-contact-${i}`, createdAt: at, updatedAt: at }),
      );
      for (let m = 0; m < perCase; m++) {
        const text = Array.from({ length: 24 }, (_, w) => WORDS[(i * 7 + m * 3 + w * 5) % WORDS.length]).join(' ') + (i === 4_242 % cases && m === 0 ? ' zyzzyva' : '');
        await tx.runOf((qb) =>
          qb.insertInto('Interaction').values({ id: `ws-i-${i}-${m}`, caseId: 1_000 + i, channel: 'email', direction: m % 2 ? 'outbound' : 'inbound', text, status: m % 2 ? 'sent' : 'processed', createdAt: new Date(at.getTime() + m * 1000) }),
        );
      }
    }
  });
}
