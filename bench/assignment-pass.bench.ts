/**
 * What one assignment pass costs as the floor fills up, in process on SQLite: with 1,000, 15,000 and
 * 100,000 cases waiting (every agent full, so a pass looks and offers nothing: its steady cost), and with
 * 15,000 open offers. Cases are written straight into the store; the passes are the gateway's own.
 *   npm run bench -- --only assignment-pass
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../gateway/app.ts';
import { loadConfig } from '../gateway/config.ts';
import { round } from './lib/stats.ts';

export interface PassCost {
  waiting: number;
  openOffers: number;
  agents: number;
  /** ms per pass, over the passes timed */
  p50: number;
  max: number;
}

async function measure(waiting: number, offers: number, passes: number): Promise<PassCost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-pass-'));
  const config = loadConfig({ DATA_DIR: dir, PORT: '0', ADMIN_TOKEN: 'bench-admin-token-0123456789', SMTP_PORT: '0', ASSIGNMENT_SWEEP_MS: '3600000', OFFER_TIMEOUT_SECONDS: '86400' });
  const app = await buildApp(config, { logger: false });
  await app.ready();
  const { db, assignment } = app.switchboard;
  const now = new Date();
  // offers need room: 100 agents of 150 each hold them; with none, 20 agents of capacity 0 look on
  const agents = offers > 0 ? 100 : 20;
  const perAgent = offers > 0 ? Math.ceil(offers / agents) : 0;
  await db.transaction(async (tx) => {
    const general = (await tx.firstOf((qb) => qb.selectFrom('Queue').select('id').where('name', '=', 'General')))!.id;
    for (let a = 0; a < agents; a++) {
      await tx.runOf((qb) =>
        qb.insertInto('Agent').values({ id: `bench-agent-${a}`, name: `Agent ${a}`, presence: 'online', capacity: String(perAgent), createdAt: now }),
      );
    }
    const total = waiting + offers;
    for (let i = 0; i < total; i++) {
      const at = new Date(now.getTime() - (total - i) * 1000);
      await tx.runOf((qb) => qb.insertInto('Contact').values({ id: `bench-contact-${i}`, createdAt: at, updatedAt: at }));
      const offeredTo = i < offers ? `bench-agent-${i % agents}` : null;
      await tx.runOf((qb) =>
        qb.insertInto('Case').values({
          state: 'new', channel: 'chat', priority: 1 + (i % 4), queueId: general, contactId: `bench-contact-${i}`, createdAt: at, updatedAt: at, waitingSince: at,
          offeredToId: offeredTo, offeredAt: offeredTo ? now : null,
        }),
      );
    }
  });
  await assignment.runOnce(); // the first pass rechecks every offer once; the steady cost is after it
  const times: number[] = [];
  for (let i = 0; i < passes; i++) {
    const t0 = performance.now();
    await assignment.runOnce();
    times.push(performance.now() - t0);
  }
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { waiting, openOffers: offers, agents, p50: round(times[Math.floor(times.length / 2)]!, 2), max: round(times.at(-1)!, 2) };
}

export async function benchAssignmentPass(sizes: { waiting: number[]; offers: number; passes: number }): Promise<PassCost[]> {
  const out: PassCost[] = [];
  for (const w of sizes.waiting) out.push(await measure(w, 0, sizes.passes));
  out.push(await measure(1_000, sizes.offers, sizes.passes));
  return out;
}
