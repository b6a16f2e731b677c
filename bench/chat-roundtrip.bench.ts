/**
 * Start-up time and one conversation's round trip, measured from outside a real server process:
 *   ack       visitor sends a chat message → the server acknowledges it (stored durably)
 *   to agent  visitor sends → the agent stream shows it in its case (stored, threaded, routed)
 *   answer    agent POSTs a reply → the visitor's socket receives it (stored, outbox, pushed)
 * Messages go one at a time, so these are latencies of an idle system, not of a loaded one.
 */
import { WebSocket } from 'ws';
import { RAISED_LIMITS } from './lib/scenario.ts';
import { BENCH_ADMIN_TOKEN, startServer } from './lib/server-process.ts';
import { percentile, round } from './lib/stats.ts';

export interface RoundTripResult {
  startupMs: number;
  rounds: number;
  ackMs: { p50: number; p99: number };
  toAgentMs: { p50: number; p99: number };
  answerMs: { p50: number; p99: number };
}

function socket(url: string): Promise<{ ws: WebSocket; next: (pred: (f: any) => boolean) => Promise<any> }> {
  const ws = new WebSocket(url);
  const waiting: Array<{ pred: (f: any) => boolean; resolve: (f: any) => void; reject: (err: Error) => void }> = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString());
    // a refused message would otherwise leave the round waiting for an ack forever
    if (f.type === 'error') for (const w of waiting.splice(0)) w.reject(new Error(`chat error ${f.error?.code}: ${f.error?.message}`));
    const i = waiting.findIndex((w) => w.pred(f));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(f);
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next: (pred) => new Promise((resolve, reject) => waiting.push({ pred, resolve, reject })) }));
    ws.once('error', reject);
  });
}

export async function benchChatRoundTrip(rounds: number): Promise<RoundTripResult> {
  // one conversation sends faster than a visitor may (CHAT_MESSAGES_PER_SECOND), hence the raised limits
  const server = await startServer({ env: RAISED_LIMITS });
  try {
    const auth = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const session = (await (await fetch(`${server.url}/chat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Bench"}' })).json()) as { token: string };
    const visitor = await socket(`${server.url.replace('http', 'ws')}/chat/ws?token=${session.token}`);
    const agent = await socket(`${server.url.replace('http', 'ws')}/api/v1/stream?access_token=${BENCH_ADMIN_TOKEN}`);
    const ack: number[] = [];
    const toAgent: number[] = [];
    const answer: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const id = `r${i}`;
      const sent = performance.now();
      const acked = visitor.next((f) => f.type === 'ack' && f.id === id);
      const seen = agent.next((f) => f.type === 'interaction.added' && f.interaction?.direction === 'inbound' && f.interaction.text === `question ${i}`);
      visitor.ws.send(JSON.stringify({ type: 'message', id, text: `question ${i}` }));
      await acked;
      ack.push(performance.now() - sent);
      const frame = await seen;
      toAgent.push(performance.now() - sent);

      const replied = performance.now();
      const got = visitor.next((f) => f.type === 'message' && f.text === `answer ${i}`);
      const res = await fetch(`${server.url}/api/v1/cases/${frame.case.number}/replies`, { method: 'POST', headers: auth, body: JSON.stringify({ text: `answer ${i}` }) });
      if (res.status !== 202) throw new Error(`reply: ${res.status}`);
      await got;
      answer.push(performance.now() - replied);
    }
    visitor.ws.close();
    agent.ws.close();
    const stat = (v: number[]) => ({ p50: round(percentile(v, 50)), p99: round(percentile(v, 99)) });
    return { startupMs: round(server.startupMs), rounds, ackMs: stat(ack), toAgentMs: stat(toAgent), answerMs: stat(answer) };
  } finally {
    await server.stop();
  }
}
