import { sql } from 'kysely';
import type { Executor } from './executor.ts';

export interface RuleHitCount {
  ruleId: string;
  hour: Date;
  count: number;
  lastAt: Date;
}

/** Adds counted matches to their (rule, hour) rows. */
export async function addRuleHits(x: Executor, hits: readonly RuleHitCount[]): Promise<void> {
  for (const h of hits) {
    await x.runOf((qb) =>
      qb
        .insertInto('RuleHit')
        .values(h)
        .onConflict((oc) =>
          oc.columns(['ruleId', 'hour']).doUpdateSet((eb) => ({
            count: sql<number>`${eb.ref('RuleHit.count')} + ${eb.ref('excluded.count')}`,
            lastAt: sql<Date>`CASE WHEN ${eb.ref('excluded.lastAt')} > ${eb.ref('RuleHit.lastAt')} THEN ${eb.ref('excluded.lastAt')} ELSE ${eb.ref('RuleHit.lastAt')} END`,
          })),
        ),
    );
  }
}

/** Per rule: matches since `day` and since `week`, and the last match. */
export async function ruleHitTotals(x: Executor, day: Date, week: Date): Promise<Array<{ ruleId: string; last24h: number; last7d: number; lastMatchAt: Date }>> {
  const rows = await x.allOf((qb) =>
    qb
      .selectFrom('RuleHit')
      .select((eb) => [
        'ruleId',
        eb.fn.sum<number>(eb.case().when('hour', '>=', day).then(eb.ref('count')).else(0).end()).as('last24h'),
        eb.fn.sum<number>('count').as('last7d'),
        eb.fn.max('lastAt').as('lastMatchAt'),
      ])
      .where('hour', '>=', week)
      .groupBy('ruleId'),
  );
  return rows.map((r) => ({ ruleId: r.ruleId, last24h: Number(r.last24h), last7d: Number(r.last7d), lastMatchAt: r.lastMatchAt }));
}

/** Drops hours older than anything shown. */
export async function pruneRuleHits(x: Executor, before: Date): Promise<number> {
  return x.runOf((qb) => qb.deleteFrom('RuleHit').where('hour', '<', before));
}
