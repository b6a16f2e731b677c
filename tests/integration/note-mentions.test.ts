/**
 * An internal note that names agents (`@Bob Stone`, or a first name nobody else has) tells them on their
 * agent streams; the customer never sees a note, and the writer is not told of their own mention.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';
import { openAgentStream } from '../support/agent-stream-client.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t?.close();
});

describe('mentions in notes', () => {
  it('reach the agents named, with the note and its case', async () => {
    const ann = (await t.api('POST', '/api/v1/agents', { name: 'Ann Lee' })).body;
    const bob = (await t.api('POST', '/api/v1/agents', { name: 'Bob Stone' })).body;
    const cy = (await t.api('POST', '/api/v1/agents', { name: 'Cy Young' })).body;
    const visitor = await ChatClient.open(t.url, { email: 'mention@example.com' });
    visitor.send({ type: 'message', id: 'm1', text: 'my order is late' });
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=mention@example.com')).body.items[0]);
    const stream = await openAgentStream(t.url, bob.token);

    const note = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: '@Bob Stone and @cy: the courier says Friday. @Ann Lee FYI', internal: true }, ann.token);
    expect(note.status).toBe(202);
    const frame = await stream.waitFor((f) => f.type === 'note.mention');
    expect(frame).toMatchObject({ case: { number: kase.number }, interaction: { id: note.body.interactionId, direction: 'note', agentId: ann.id }, mentioned: [bob.id, cy.id] });
    // an answer to the customer mentions nobody, whatever it says
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Hi @Bob Stone, it comes Friday' })).status).toBe(202);
    await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    await new Promise((r) => setTimeout(r, 200));
    expect(stream.frames.filter((f) => f.type === 'note.mention')).toHaveLength(1);
    expect(visitor.frames.some((f) => f.type === 'message' && /courier/u.test(f.text))).toBe(false);
    await visitor.close();
    stream.ws.close();
  });
});
