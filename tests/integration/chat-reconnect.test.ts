import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { inStore } from '../support/store-rows.ts';
import { refuseWrites } from '../support/refuse-writes.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(() => t.close());

describe('a visitor who reconnects', () => {
  it('receives an answer sent while away even before the send is recorded (history still shows it queued)', async () => {
    const c = await ChatClient.open(t.url, { name: 'Rae', email: 'rae@example.com' });
    c.send({ type: 'message', id: 'r1', text: 'Is my order on its way?' });
    await c.waitFor((f) => f.type === 'ack' && f.id === 'r1');
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=rae%40example.com')).body.items[0]);
    await c.close();

    // the store refuses to record deliveries for 3 s: the answer leaves, its record waits
    const db = t.app.switchboard.db;
    await refuseWrites(db, { name: 'refuse_done', table: 'OutboxItem', on: 'UPDATE OF "status"', when: `NEW."status" = 'done'`, seconds: 3 });
    const reply = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'It left the warehouse today.' });
    expect(reply.status).toBe(202);
    // sent (its attempt counted), not yet recorded
    await eventually(async () => ((await inStore(db).outboxItem.findFirst({ where: { interactionId: reply.body.interactionId } }))?.attempts === 1 ? true : null));
    await new Promise((r) => setTimeout(r, 200));
    expect(await inStore(db).interaction.findUniqueOrThrow({ where: { id: reply.body.interactionId } })).toMatchObject({ status: 'queued' });

    await c.connect();
    // the history has the answer although the store still holds it as queued
    const history = await c.waitFor((f) => f.type === 'history');
    expect(history.messages.map((m: { text: string }) => m.text)).toEqual(['Is my order on its way?', 'It left the warehouse today.']);
    expect(history.messages[1]).toMatchObject({ id: reply.body.interactionId, direction: 'outbound', caseNumber: kase.number });
    // once recorded, the stored history has it, and it is not sent twice
    await eventually(async () => ((await inStore(db).outboxItem.findFirst({ where: { interactionId: reply.body.interactionId } }))?.status === 'done' ? true : null), 10_000);
    await c.close();
    await c.connect();
    const again = await c.waitFor((f) => f.type === 'history');
    expect(again.messages.map((m: { text: string }) => m.text)).toEqual(['Is my order on its way?', 'It left the warehouse today.']);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames.filter((f) => f.type === 'message' && f.direction === 'outbound')).toEqual([]);
    await c.close();
  });
});
