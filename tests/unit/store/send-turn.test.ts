import { afterEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { takeSendTurn } from '../../../store/send-turn.repository.ts';
import { tempDir } from '../../support/test-app.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.close();
  db = undefined;
});

const at = (ms: number) => new Date(Date.UTC(2026, 11, 5, 9, 0, 0) + ms);

describe('booking send turns', () => {
  it('gives each booking of a sender the first free start, a gap after the one before; an idle sender starts now', async () => {
    db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
    const number = [{ key: 'sms:number:+15550001', gapMs: 1000 }];
    // three asked for in the same moment, in one group commit
    const starts = await Promise.all([0, 0, 0].map(() => db!.transaction((tx) => takeSendTurn(tx, number, at(0)))));
    expect(starts.map((d) => d.getTime() - at(0).getTime())).toEqual([0, 1000, 2000]);
    // long after the last turn: now
    expect(await db.transaction((tx) => takeSendTurn(tx, number, at(10_000)))).toEqual(at(10_000));
    // another sender is not held up by this one
    expect(await db.transaction((tx) => takeSendTurn(tx, [{ key: 'sms:number:+15550002', gapMs: 1000 }], at(10_000)))).toEqual(at(10_000));
  });

  it('books several senders at the first moment all of them are free, and moves each one on by its own gap', async () => {
    db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
    await db.transaction((tx) => takeSendTurn(tx, [{ key: 'account', gapMs: 250 }], at(0)));
    await db.transaction((tx) => takeSendTurn(tx, [{ key: 'started:+1', gapMs: 1000 }], at(0)));
    // the account is free at 250, the number's last start allows 1000: the later of the two
    const start = await db.transaction((tx) => takeSendTurn(tx, [{ key: 'account', gapMs: 250 }, { key: 'started:+1', gapMs: 1000 }], at(100)));
    expect(start).toEqual(at(1000));
    expect(await db.transaction((tx) => takeSendTurn(tx, [{ key: 'account', gapMs: 250 }], at(100)))).toEqual(at(1250));
    expect(await db.transaction((tx) => takeSendTurn(tx, [{ key: 'started:+1', gapMs: 1000 }], at(100)))).toEqual(at(2000));
  });
});

describe('a clock set back', () => {
  it('a booking far ahead of now (the clock went back) is not waited for', async () => {
    db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
    const slot = [{ key: 'email:smtp', gapMs: 200 }];
    await db.transaction((tx) => takeSendTurn(tx, slot, at(0)));
    // 90 minutes earlier by the clock: the turn is now, not in 90 minutes
    expect(await db.transaction((tx) => takeSendTurn(tx, slot, at(-90 * 60_000)))).toEqual(at(-90 * 60_000));
    expect(await db.transaction((tx) => takeSendTurn(tx, slot, at(-90 * 60_000)))).toEqual(at(-90 * 60_000 + 200));
  });
});
