import { inStore } from '../../support/store-rows.ts';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { sql } from 'kysely';
import { newId } from '../../../store/ids.ts';
import type { Executor } from '../../../store/executor.ts';
import { tempDir } from '../../support/test-app.ts';

let file: string;
let db: Db;
beforeEach(async () => {
  file = path.join(tempDir(), 'w.db');
  db = await Db.open({ url: `file:${file}` });
});
afterEach(() => db.close());

const addQueue = (tx: Executor, name: string) => tx.runOf((qb) => qb.insertInto('Queue').values({ id: newId(), name, createdAt: new Date() }));
const raw = (tx: Executor, text: string) => tx.runOf(() => sql.raw(text));

/** another connection, as another process would see the file */
function outsider() {
  const conn = new Database(file, { readonly: true });
  return {
    names: () => (conn.prepare('SELECT "name" FROM "Queue" ORDER BY "name"').all() as Array<{ name: string }>).map((r) => r.name),
    close: () => conn.close(),
  };
}

describe('Db.transaction', () => {
  it('resolves only once the write is committed: another connection sees it then, and not before', async () => {
    const other = outsider();
    try {
      const pending = db.transaction((tx) => addQueue(tx, 'Returns'));
      expect(other.names()).not.toContain('Returns');
      expect(await pending).toBe(1);
      expect(other.names()).toContain('Returns');
    } finally {
      other.close();
    }
  });

  it('writes asked for together share a transaction, yet one that throws is rolled back alone', async () => {
    const results = await Promise.allSettled([
      db.transaction((tx) => addQueue(tx, 'A')),
      db.transaction(async (tx) => {
        await addQueue(tx, 'B');
        throw new Error('second one fails after writing');
      }),
      // the third sees the first's row: same transaction, in the order asked
      db.transaction(async (tx) => {
        await addQueue(tx, 'C');
        return Number((await tx.firstOf((qb) => qb.selectFrom('Queue').select((eb) => eb.fn.countAll<number>().as('n')).where('name', 'in', ['A', 'C'])))!.n);
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(2);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('second one fails after writing');
    const names = (await inStore(db).queue.findMany({ orderBy: { name: 'asc' } })).map((q) => q.name);
    expect(names).toEqual(['A', 'C']);
  });

  it('a write alone in its batch that throws after writing keeps nothing', async () => {
    await expect(
      db.transaction(async (tx) => {
        await addQueue(tx, 'Half-done');
        throw new Error('fails after writing');
      }),
    ).rejects.toThrow('fails after writing');
    expect(await inStore(db).queue.count({ where: { name: 'Half-done' } })).toBe(0);
  });

  it('when SQLite abandons the whole transaction (disk full), every write of the batch is rejected, none kept, and writing goes on', async () => {
    const pages = (await db.read.firstOf(() => sql<{ page_count: number }>`PRAGMA page_count`))!.page_count;
    const results = await Promise.allSettled([
      db.transaction((tx) => addQueue(tx, 'Before')),
      db.transaction(async (tx) => {
        // a database that may not grow by more than two pages, then a row that needs hundreds
        await raw(tx, `PRAGMA max_page_count = ${pages + 2}`);
        await addQueue(tx, 'x'.repeat(2_000_000));
      }),
      db.transaction((tx) => addQueue(tx, 'After')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/full/i);
    await db.transaction((tx) => raw(tx, 'PRAGMA max_page_count = 1073741823'));
    expect(await inStore(db).queue.count({ where: { name: { in: ['Before', 'After'] } } })).toBe(0);
    expect(await db.transaction((tx) => addQueue(tx, 'Later'))).toBe(1);
  });

  it('when the commit itself fails, every write of the batch is rejected and nothing is kept', async () => {
    const results = await Promise.allSettled([
      db.transaction((tx) => addQueue(tx, 'Kept?')),
      db.transaction(async (tx) => {
        // a foreign key checked only at COMMIT: the commit fails, not the statement
        await raw(tx, 'PRAGMA defer_foreign_keys = ON');
        await tx.runOf((qb) => qb.insertInto('ChannelIdentity').values({ id: newId(), channel: 'sms', address: '+1555', contactId: 'no-such-contact', createdAt: new Date() }));
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await inStore(db).queue.count({ where: { name: 'Kept?' } })).toBe(0);
    // and the connection is usable afterwards
    expect(await db.transaction((tx) => addQueue(tx, 'After'))).toBe(1);
  });

  it('close waits for writes already asked for', async () => {
    const pending = db.transaction((tx) => addQueue(tx, 'Late'));
    await db.close();
    await pending;
    db = await Db.open({ url: `file:${file}` });
    expect(await inStore(db).queue.count({ where: { name: 'Late' } })).toBe(1);
  });

  it('dates come back as the Date they were, and compare in time order with rows written before this store (\"+00:00\" text)', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    // the form rows written before carry
    await db.transaction((tx) => raw(tx, `INSERT INTO "Queue" ("id", "name", "createdAt") VALUES ('q1', 'Dated', '2026-03-04T05:06:07.089+00:00')`));
    const stored = await inStore(db).queue.findUniqueOrThrow({ where: { id: 'q1' } });
    expect(stored.createdAt).toEqual(at);
    await db.transaction((tx) => tx.runOf((qb) => qb.insertInto('Queue').values({ id: 'q2', name: 'Later', createdAt: new Date(at.getTime() + 1) })));
    const order = (await db.read.allOf((qb) => qb.selectFrom('Queue').select('id').where('id', 'in', ['q2', 'q1']).orderBy('createdAt'))).map((r) => r.id);
    expect(order).toEqual(['q1', 'q2']);
    const later = await db.read.allOf((qb) => qb.selectFrom('Queue').select('id').where('createdAt', '>', at));
    expect(later.map((r) => r.id)).toEqual(['q2']);
  });

  it('waits, without failing, while another connection holds the write lock, then writes', async () => {
    const second = await Db.open({ url: `file:${file}` });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let holding!: () => void;
      const lockTaken = new Promise<void>((r) => (holding = r));
      const other = second.transaction(async (tx) => {
        await addQueue(tx, 'Held');
        holding();
        await held;
      });
      await lockTaken;
      let done = false;
      const mine = db.transaction((tx) => addQueue(tx, 'Waited')).then((n) => {
        done = true;
        return n;
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(done).toBe(false);
      release();
      await other;
      expect(await mine).toBe(1);
      expect((await inStore(db).queue.findMany({ where: { name: { in: ['Held', 'Waited'] } } })).length).toBe(2);
    } finally {
      await second.close();
    }
  });
});

describe('newId', () => {
  it('is unique and sorts in the order ids were made, within one millisecond too', () => {
    const ids = Array.from({ length: 5000 }, () => newId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^c[0-9a-z]{24}$/);
  });
});
