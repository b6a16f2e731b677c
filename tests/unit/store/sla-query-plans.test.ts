/**
 * With 100,000 open cases carrying SLA clocks (and as many timers), the two due-time reads stay index range
 * scans: the case list by nearest due time (`GET /api/v1/cases?sort=due`) and the timer worker's due timers.
 * The plans are printed, on SQLite and on PostgreSQL (TEST_DATABASE_URL).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Db } from '../../../store/db.ts';
import { caseListQuery } from '../../../store/case.repository.ts';
import { compileBuildable, Param, planQuery, type Query, type QB } from '../../../store/query.ts';
import { sqliteBuilder, sqliteDate } from '../../../store/sqlite.engine.ts';
import { postgresBuilder } from '../../../store/postgres.engine.ts';
import { tempDir } from '../../support/test-app.ts';
import { testDatabaseUrl, TEST_POSTGRES_URL } from '../../support/test-database.ts';
import { dueTimersQuery } from '../../../store/timer.repository.ts';
import { waitingCasesQuery } from '../../../store/assignment.repository.ts';

const CASES = 100_000;
const CONTACTS = 20_000;
let url: string;

beforeAll(async () => {
  url = await testDatabaseUrl(tempDir());
  // migrations applied by opening it once
  const db = await Db.open({ url });
  await db.close();
  const base = Date.parse('2026-06-01T00:00:00Z');
  if (TEST_POSTGRES_URL) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`INSERT INTO "Contact" (id, "createdAt", "updatedAt") SELECT 'plan-contact-' || i, now(), now() FROM generate_series(1, $1::int) AS i`, [CONTACTS]);
    await c.query(
      `INSERT INTO "Case" (state, channel, "contactId", "createdAt", "updatedAt", "slaDueAt", sla)
       SELECT 'open', 'email', 'plan-contact-' || (1 + i % ${CONTACTS}), now(), now(), to_timestamp($1::bigint / 1000.0) + (i || ' seconds')::interval, '{}' FROM generate_series(1, $2::int) AS i`,
      [base, CASES],
    );
    await c.query(`INSERT INTO "Timer" (key, kind, "dueAt", "createdAt") SELECT 'sla:' || i, 'sla', to_timestamp($1::bigint / 1000.0) + (i || ' seconds')::interval, now() FROM generate_series(1, $2::int) AS i`, [base, CASES]);
    await c.query('ANALYZE');
    await c.end();
  } else {
    const s = new Database(url.replace(/^file:/, ''));
    const now = sqliteDate(new Date(base));
    const addContact = s.prepare(`INSERT INTO Contact (id, createdAt, updatedAt) VALUES (?, ?, ?)`);
    const addCase = s.prepare(`INSERT INTO "Case" (state, channel, contactId, createdAt, updatedAt, slaDueAt, sla) VALUES ('open', 'email', ?, ?, ?, ?, '{}')`);
    const addTimer = s.prepare(`INSERT INTO Timer (key, kind, dueAt, createdAt) VALUES (?, 'sla', ?, ?)`);
    s.transaction(() => {
      for (let i = 1; i <= CONTACTS; i++) addContact.run(`plan-contact-${i}`, now, now);
      for (let i = 1; i <= CASES; i++) {
        const due = sqliteDate(new Date(base + i * 1000));
        addCase.run(`plan-contact-${1 + (i % CONTACTS)}`, now, now, due);
        addTimer.run(`sla:${i}`, due, now);
      }
    })();
    s.exec('ANALYZE');
    s.close();
  }
}, 120_000);

/** The engine's plan for a compiled statement, one line per step. */
async function explain(compiled: { sql: string; params: readonly unknown[] }): Promise<string[]> {
  if (TEST_POSTGRES_URL) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const rows = (await c.query(`EXPLAIN ${compiled.sql}`, compiled.params as unknown[])).rows as Array<{ 'QUERY PLAN': string }>;
      return rows.map((r) => r['QUERY PLAN']);
    } finally {
      await c.end();
    }
  }
  const s = new Database(url.replace(/^file:/, ''), { readonly: true });
  try {
    const params = compiled.params.map((p) => (p instanceof Date ? sqliteDate(p) : p));
    return (s.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail);
  } finally {
    s.close();
  }
}

const builder: QB = TEST_POSTGRES_URL ? postgresBuilder : sqliteBuilder;
const engine = TEST_POSTGRES_URL ? 'postgres' : 'sqlite';

describe(`due-time reads over ${CASES.toLocaleString('en')} open cases (${engine})`, () => {
  it('the case list by nearest due time reads the slaDueAt index from its start, not every case', async () => {
    for (const afterDue of [undefined, { dueAt: new Date(Date.parse('2026-06-01T12:00:00Z')), id: 43_200 }]) {
      const plan = await explain(compileBuildable(caseListQuery(builder, { limit: 50, sort: 'due', ...(afterDue ? { afterDue } : {}) }), builder));
      console.log(`sort=due${afterDue ? ', second page' : ''}:\n  ${plan.join('\n  ')}`);
      const text = plan.join('\n');
      expect(text).toMatch(/Case_slaDueAt_idx/);
      // no sort of the whole table: the index gives the order
      expect(text).not.toMatch(/USE TEMP B-TREE FOR ORDER BY|Seq Scan on "Case"/);
    }
  });

  it('the timer worker finds due timers by a range scan of the dueAt index', async () => {
    const plan = await explain(compileBuildable(dueTimersQuery.build(builder, { now: new Date(Date.parse('2026-06-01T00:10:00Z')), limit: 200 }, engine), builder));
    console.log(`due timers:\n  ${plan.join('\n  ')}`);
    expect(plan.join('\n')).toMatch(/Timer_dueAt_idx/);
    expect(plan.join('\n')).not.toMatch(/Seq Scan on "Timer"|SCAN Timer\b(?! USING)/);
  });

  it('an assignment pass reads the waiting cases in the order it offers them from an index, not by sorting every waiting case', async () => {
    // a query of list parameters compiles with placeholders: they are filled as the engine fills them
    const values: Record<string, unknown> = {
      queueIds: ['q1', 'q2'], limit: 500, now: new Date(Date.parse('2026-06-01T00:10:00Z')), afterPriority: 2, afterCreatedAt: new Date(Date.parse('2026-05-01T00:00:00Z')), afterId: 10,
    };
    const compiled = planQuery(waitingCasesQuery as Query<object, unknown>, builder, engine);
    const params = compiled.params.map((v) => (v instanceof Param ? (v.list && engine === 'sqlite' ? JSON.stringify(values[v.name]) : values[v.name]) : v));
    const plan = await explain({ sql: compiled.sql, params });
    console.log(`waiting cases:\n  ${plan.join('\n  ')}`);
    const text = plan.join('\n');
    // PostgreSQL, with statistics, may rather seek the (here empty) queues first; it never reads the table whole
    if (engine === 'sqlite') expect(text).toMatch(/Case_assigneeId_offeredToId_priority_createdAt_id_idx/);
    expect(text).not.toMatch(/USE TEMP B-TREE FOR ORDER BY|Seq Scan on "Case"/);
  });
});
