/**
 * `npm run bench`: every benchmark in one run; `-- --short` only proves the harness works.
 * Results are printed and written to bench/results/<timestamp>.json so runs can be compared.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { benchChatRoundTrip } from './chat-roundtrip.bench.ts';

const short = process.argv.includes('--short');
const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  mode: short ? 'short' : 'full',
  machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
};

const rt = await benchChatRoundTrip(short ? 20 : 300);
results.chatRoundTrip = rt;
console.log(`start-up to listening (fresh database, tsx): ${rt.startupMs} ms`);
console.log(`chat round trip over ${rt.rounds} rounds, one at a time (p50 / p99 ms):`);
console.log(`  visitor message stored and acknowledged   ${rt.ackMs.p50} / ${rt.ackMs.p99}`);
console.log(`  visitor message visible to the agent      ${rt.toAgentMs.p50} / ${rt.toAgentMs.p99}`);
console.log(`  agent reply received by the visitor       ${rt.answerMs.p50} / ${rt.answerMs.p99}`);

const dir = path.join(import.meta.dirname, 'results');
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${results.at as string}.json`.replace(/:/g, '-'));
fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`results written to ${path.relative(process.cwd(), file)}`);
