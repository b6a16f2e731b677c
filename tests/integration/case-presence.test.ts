/**
 * Collision detection: who else has a case open in the workspace, and who is typing in it, pushed over
 * the agent stream to the others watching that case; a closed stream leaves; bad frames get an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../support/test-app.ts';
import { openAgentStream } from '../support/agent-stream-client.ts';

let t: TestApp;
let ann: { id: string; token: string };
let bob: { id: string; token: string };

beforeAll(async () => {
  t = await startApp();
  ann = (await t.api('POST', '/api/v1/agents', { name: 'Ann' })).body;
  bob = (await t.api('POST', '/api/v1/agents', { name: 'Bob' })).body;
});
afterAll(async () => {
  await t?.close();
});

type Stream = Awaited<ReturnType<typeof openAgentStream>>;
const watch = (s: Stream, kase: string | null, typing = false) => s.ws.send(JSON.stringify({ type: 'watch', case: kase, typing }));
/** The newest presence frame of the case the stream got, once it matches. */
const viewersSeen = (s: Stream, kase: string, want: string) =>
  s.waitFor(() => {
    const last = s.frames.filter((f) => f.type === 'case.presence' && f.case === kase).at(-1);
    return last && last.viewers.map((v: { name: string; typing: boolean }) => `${v.name}${v.typing ? ' typing' : ''}`).join(', ') === want;
  });

describe('who else is on a case', () => {
  it('the agents with a case open see each other, and who types; leaving or closing the stream ends it', async () => {
    const a = await openAgentStream(t.url, ann.token);
    const b = await openAgentStream(t.url, bob.token);
    watch(a, 'CS0001001');
    await viewersSeen(a, 'CS0001001', 'Ann');
    watch(b, 'CS0001001');
    await viewersSeen(a, 'CS0001001', 'Ann, Bob');
    await viewersSeen(b, 'CS0001001', 'Ann, Bob');
    watch(b, 'CS0001001', true);
    await viewersSeen(a, 'CS0001001', 'Ann, Bob typing');
    // another case's viewers are not told about this one
    const other = await openAgentStream(t.url, ann.token);
    watch(other, 'CS0001002');
    await viewersSeen(other, 'CS0001002', 'Ann');
    watch(b, 'CS0001001', false);
    await viewersSeen(a, 'CS0001001', 'Ann, Bob');
    expect(other.frames.some((f) => f.type === 'case.presence' && f.case === 'CS0001001')).toBe(false);

    // Bob moves on, then comes back and drops his connection
    watch(b, null);
    await viewersSeen(a, 'CS0001001', 'Ann');
    watch(b, 'CS0001001');
    await viewersSeen(a, 'CS0001001', 'Ann, Bob');
    b.ws.terminate();
    await viewersSeen(a, 'CS0001001', 'Ann');
    a.ws.close();
    other.ws.close();
  });

  it('an agent in two tabs counts once; a bad frame gets an error and the stream stays open', async () => {
    const tab1 = await openAgentStream(t.url, ann.token);
    const tab2 = await openAgentStream(t.url, ann.token);
    watch(tab1, 'CS0001003');
    watch(tab2, 'CS0001003', true);
    await viewersSeen(tab1, 'CS0001003', 'Ann typing');
    for (const junk of ['{"type":"watch","case":"DROP TABLE"}', '{"type":"watch","case":"CS0001003","typing":"yes"}', '{"type":"look"}', '[]', `{"type":"watch","case":"CS0001003","pad":"${'x'.repeat(300)}"}`]) {
      const before = tab1.frames.filter((f) => f.type === 'error').length;
      tab1.ws.send(junk);
      await tab1.waitFor(() => tab1.frames.filter((f) => f.type === 'error').length > before);
    }
    expect(tab1.frames.filter((f) => f.type === 'error').every((f) => f.error.code === 'INVALID_MESSAGE')).toBe(true);
    tab1.ws.send('{"type":"ping"}');
    await tab1.waitFor((f) => f.type === 'pong');
    tab1.ws.close();
    tab2.ws.close();
  });
});
