import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { newId, sqlDate, type Sql } from '../../../store/sql.ts';
import { tempDir } from '../../support/test-app.ts';

let file: string;
let db: Db;
beforeEach(async () => {
  file = path.join(tempDir(), 'w.db');
  db = await Db.open({ url: `file:${file}` });
});
afterEach(() => db.close());

const addQueue = (sql: Sql, name: string) =>
  sql.run('INSERT INTO "Queue" ("id", "name", "createdAt") VALUES (?, ?, ?)', newId(), name, sqlDate(new Date())).changes;

/** another connection, as another process would see the file */
function outsider() {
  const conn = new Database(file, { readonly: true });
  return {
    names: () => (conn.prepare('SELECT "name" FROM "Queue" ORDER BY "name"').all() as Array<{ name: string }>).map((r) => r.name),
    close: () => conn.close(),
  };
}

describe('Db.writeNow', () => {
  it('resolves only once the write is committed: another connection sees it then, and not before', async () => {
    const other = outsider();
    try {
      const pending = db.writeNow((sql) => addQueue(sql, 'Returns'));
      expect(other.names()).not.toContain('Returns');
      expect(await pending).toBe(1);
      expect(other.names()).toContain('Returns');
    } finally {
      other.close();
    }
  });

  it('writes asked for together share a transaction, yet one that throws is rolled back alone', async () => {
    const results = await Promise.allSettled([
      db.writeNow((sql) => addQueue(sql, 'A')),
      db.writeNow((sql) => {
        addQueue(sql, 'B');
        throw new Error('second one fails after writing');
      }),
      // the third sees the first's row: same transaction, in the order asked
      db.writeNow((sql) => {
        addQueue(sql, 'C');
        return sql.get<{ n: number }>(`SELECT count(*) AS "n" FROM "Queue" WHERE "name" IN ('A', 'C')`)!.n;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(2);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('second one fails after writing');
    const names = (await db.prisma.queue.findMany({ orderBy: { name: 'asc' } })).map((q) => q.name);
    expect(names).toEqual(['A', 'C']);
  });

  it('a write alone in its batch that throws after writing keeps nothing', async () => {
    await expect(
      db.writeNow((sql) => {
        addQueue(sql, 'Half-done');
        throw new Error('fails after writing');
      }),
    ).rejects.toThrow('fails after writing');
    expect(await db.prisma.queue.count({ where: { name: 'Half-done' } })).toBe(0);
  });

  it('when SQLite abandons the whole transaction (disk full), every write of the batch is rejected, none kept, and writing goes on', async () => {
    const pages = db.sql.get<{ page_count: number }>('PRAGMA page_count')!.page_count;
    const results = await Promise.allSettled([
      db.writeNow((sql) => addQueue(sql, 'Before')),
      db.writeNow((sql) => {
        // a database that may not grow by more than two pages, then a row that needs hundreds
        sql.run(`PRAGMA max_page_count = ${pages + 2}`);
        addQueue(sql, 'x'.repeat(2_000_000));
      }),
      db.writeNow((sql) => addQueue(sql, 'After')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/full/i);
    db.sql.run('PRAGMA max_page_count = 1073741823');
    expect(await db.prisma.queue.count({ where: { name: { in: ['Before', 'After'] } } })).toBe(0);
    expect(await db.writeNow((sql) => addQueue(sql, 'Later'))).toBe(1);
  });

  it('when the commit itself fails, every write of the batch is rejected and nothing is kept', async () => {
    const results = await Promise.allSettled([
      db.writeNow((sql) => addQueue(sql, 'Kept?')),
      db.writeNow((sql) => {
        // a foreign key checked only at COMMIT: the commit fails, not the statement
        sql.run('PRAGMA defer_foreign_keys = ON');
        sql.run(`INSERT INTO "ChannelIdentity" ("id", "channel", "address", "contactId", "createdAt") VALUES (?, 'sms', '+1555', 'no-such-contact', ?)`, newId(), sqlDate(new Date()));
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await db.prisma.queue.count({ where: { name: 'Kept?' } })).toBe(0);
    // and the connection is usable afterwards
    expect(await db.writeNow((sql) => addQueue(sql, 'After'))).toBe(1);
  });

  it('close waits for writes already asked for', async () => {
    const pending = db.writeNow((sql) => addQueue(sql, 'Late'));
    await db.close();
    await pending;
    db = await Db.open({ url: `file:${file}` });
    expect(await db.prisma.queue.count({ where: { name: 'Late' } })).toBe(1);
  });

  it('rows written here read the same through Prisma, dates included', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    await db.writeNow((sql) => sql.run('INSERT INTO "Queue" ("id", "name", "createdAt") VALUES (?, ?, ?)', 'q1', 'Dated', sqlDate(at)));
    const viaPrisma = await db.prisma.queue.findUniqueOrThrow({ where: { id: 'q1' } });
    expect(viaPrisma.createdAt.toISOString()).toBe(at.toISOString());
    // and a date Prisma wrote compares as text with one written here
    await db.write((tx) => tx.queue.create({ data: { id: 'q2', name: 'Later', createdAt: new Date(at.getTime() + 1) } }));
    const order = db.sql.all<{ id: string }>('SELECT "id" FROM "Queue" WHERE "id" IN (?, ?) ORDER BY "createdAt"', 'q2', 'q1').map((r) => r.id);
    expect(order).toEqual(['q1', 'q2']);
  });

  it('waits, without failing, while another connection holds the write lock, then writes', async () => {
    const second = await Db.open({ url: `file:${file}` });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let holding!: () => void;
      const lockTaken = new Promise<void>((r) => (holding = r));
      const other = second.write(async (tx) => {
        await tx.queue.create({ data: { name: 'Held' } });
        holding();
        await held;
      });
      await lockTaken;
      let done = false;
      const mine = db.writeNow((sql) => addQueue(sql, 'Waited')).then((n) => {
        done = true;
        return n;
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(done).toBe(false);
      release();
      await other;
      expect(await mine).toBe(1);
      expect((await db.prisma.queue.findMany({ where: { name: { in: ['Held', 'Waited'] } } })).length).toBe(2);
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
