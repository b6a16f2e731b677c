/**
 * A stand-in for Slack's Web API on 127.0.0.1, just enough for the gateway's Slack channel to run at
 * full speed: every call answers at once with a plausible success, and is counted by method. It keeps
 * nothing else (no posts, no users), so its own cost stays flat however long the benchmark runs.
 * Point the gateway at it with slackEnv(api.apiUrl).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchSlackApi {
  /** the Web API base, for SLACK_API_URL: the client appends method names to it */
  apiUrl: string;
  /** calls received so far, by method */
  calls: Record<string, number>;
  total(): number;
  /** Resolves once no call has come for `quietMs` (or after `maxMs`): the case mirror posts after commits. */
  settled(quietMs?: number, maxMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const BENCH_SLACK_CHANNEL = 'C0BENCH';
const BOT = { user_id: 'UBENCHBOT', bot_id: 'BBENCHBOT', team_id: 'TBENCH' };

/** The gateway's Slack settings: HTTP mode (bot token and signing secret), cards in one channel. */
export function slackEnv(apiUrl: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-secret',
    SLACK_API_URL: apiUrl,
    SLACK_DEFAULT_CHANNEL: BENCH_SLACK_CHANNEL,
  };
}

export async function startBenchSlackApi(): Promise<BenchSlackApi> {
  const calls: Record<string, number> = {};
  let ts = 0;
  let lastCallAt = performance.now();

  const server = createServer((req, res) => {
    void paramsOf(req).then((params) => {
      const method = /^\/api\/([\w.]+)$/.exec(new URL(req.url ?? '/', 'http://slack').pathname)?.[1] ?? 'unknown';
      calls[method] = (calls[method] ?? 0) + 1;
      lastCallAt = performance.now();
      const body = JSON.stringify(answer(method, params, () => `${1_700_000_000 + ++ts}.000000`));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }, () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    total: () => Object.values(calls).reduce((a, b) => a + b, 0),
    async settled(quietMs = 1_000, maxMs = 60_000) {
      const deadline = performance.now() + maxMs;
      while (performance.now() - lastCallAt < quietMs && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** What Slack would answer, reduced to the fields the gateway reads. */
function answer(method: string, p: Record<string, string>, nextTs: () => string): Record<string, unknown> {
  switch (method) {
    case 'auth.test':
      return { ok: true, user: 'switchboard', ...BOT };
    case 'chat.postMessage':
      return { ok: true, channel: p.channel ?? BENCH_SLACK_CHANNEL, ts: nextTs() };
    case 'chat.update':
      return { ok: true, channel: p.channel, ts: p.ts };
    case 'conversations.info':
      return { ok: true, channel: { id: p.channel, name: 'bench', is_im: false, is_ext_shared: false } };
    case 'users.info':
      return { ok: true, user: { id: p.user, name: 'bench-user', deleted: false, is_bot: false, profile: {} } };
    default:
      return { ok: true };
  }
}

/** The call's parameters: the Web API client sends forms, but JSON bodies are allowed too. */
async function paramsOf(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, string>) : {};
  return Object.fromEntries(new URLSearchParams(raw));
}
