import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import { query } from './query.ts';

/** What a lock serializes: the assignment pass as a whole, or the messages of one contact. */
export type LockScope = 'assignment-pass' | 'contact';

const advisoryLockQuery = query((_qb, p: { scope: string; key: string }) => sql`SELECT pg_advisory_xact_lock(hashtext(${p.scope}), hashtext(${p.key}))`);

/**
 * Makes the transactions that take the same lock run one after another, until each one's commit. On
 * PostgreSQL it is a transaction-scoped advisory lock, so it holds across every instance sharing the
 * database. On SQLite there is nothing to take: one write transaction at a time runs on the whole file.
 */
export async function lockUntilCommit(x: Executor, scope: LockScope, key = ''): Promise<void> {
  if (x.dialect !== 'postgres') return;
  await x.run(advisoryLockQuery, { scope, key });
}
