import { inStore } from '../../support/store-rows.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Db } from '../../../store/db.ts';
import { EVENT_ID_RETENTION_MS, recordEventOnce } from '../../../store/processed-event.repository.ts';
import { tempDir } from '../../support/test-app.ts';
import { testDatabaseUrl } from '../../support/test-database.ts';

let db: Db;
beforeEach(async () => {
  db = await Db.open({ url: await testDatabaseUrl(tempDir()) });
});
afterEach(() => db.close());

describe('recordEventOnce', () => {
  it('is true the first time an id is seen and false for a repeat', async () => {
    const now = new Date();
    expect(await db.transaction((tx) => recordEventOnce(tx, 'Ev1', now))).toBe(true);
    expect(await db.transaction((tx) => recordEventOnce(tx, 'Ev1', now))).toBe(false);
    expect(await db.transaction((tx) => recordEventOnce(tx, 'Ev2', now))).toBe(true);
  });

  it('drops ids past retention as new ones come, and keeps recent ones', async () => {
    const old = new Date(Date.now() - EVENT_ID_RETENTION_MS - 60_000);
    await db.transaction((tx) => recordEventOnce(tx, 'ancient', old));
    const now = new Date();
    // enough new ids to reach a pruning round whatever the count before
    await db.transaction(async (tx) => {
      for (let i = 0; i < 1000; i++) await recordEventOnce(tx, `new-${i}`, now);
    });
    expect(await inStore(db).processedEvent.findUnique({ where: { id: 'ancient' } })).toBeNull();
    expect(await inStore(db).processedEvent.count()).toBe(1000);
  });
});
