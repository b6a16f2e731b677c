/**
 * Files agents send: uploaded once, named in an answer or a note, and carried on the customer's own
 * channel (an email attachment, a file in the Slack thread, a link in chat, MMS or a link by SMS). The
 * links customers get carry a secret and lapse; bad uploads and bad references change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { SUPPORT, newMessageId, startEmailApp, type EmailApp } from './email-kit.ts';
import { parseMail } from '../support/smtp-sink.ts';
import { smsTestEnv, startFakeTwilioApi, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { messageEnvelope, newTs, startAppWithSlack, type SlackTestApp } from '../support/fake-slack-api.ts';
import { ADMIN, ChatClient, eventually, startApp, type TestApp } from '../support/test-app.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201e221bc330000000049454e44ae426082', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A link as the customer got it (on PUBLIC_URL), fetched from this test's server. */
const local = (t: TestApp, link: string) => `${t.url}${new URL(link).pathname}`;

async function upload(t: TestApp, name: string, body: Buffer, type = 'application/octet-stream', token = ADMIN) {
  const res = await fetch(`${t.url}/api/v1/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: new Uint8Array(body) });
  return { status: res.status, body: (await res.json()) as any };
}

async function uploaded(t: TestApp, name: string, body: Buffer, type: string) {
  const res = await upload(t, name, body, type);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id as string, name: res.body.name as string, contentType: res.body.contentType as string };
}

describe('uploads and answers by email', () => {
  let t: EmailApp;
  beforeAll(async () => {
    t = await startEmailApp({ UPLOAD_MAX_BYTES: '4096' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an upload answers its id (the content’s sha256), a clean name and type; a file of the same content is stored once', async () => {
    const a = await upload(t, '../../etc/passwd\u0007.png', PNG, 'image/PNG; charset=binary');
    expect(a.status).toBe(201);
    expect(a.body).toEqual({ id: createHash('sha256').update(PNG).digest('hex'), name: 'passwd.png', contentType: 'image/png', size: PNG.length });
    expect((await upload(t, 'copy.png', PNG, 'image/png')).body.id).toBe(a.body.id);
    // a JSON or text file is a file like any other, not a body to parse
    const json = await upload(t, 'data.json', Buffer.from('{"not": "parsed"'), 'application/json');
    expect(json.status).toBe(201);
    expect(json.body.contentType).toBe('application/json');
    expect((await upload(t, 'odd.bin', PDF, 'application/x-thing; x="')).body.contentType).toBe('application/x-thing');
    // no type at all: bytes all the same
    const untyped = await fetch(`${t.url}/api/v1/uploads?name=plain`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` }, body: new Uint8Array(PDF) });
    expect(untyped.status).toBe(201);
    expect(((await untyped.json()) as any).contentType).toBe('application/octet-stream');
  });

  it('refuses an empty, nameless, oversized or unauthenticated upload with a clear code', async () => {
    const refused = async (res: Promise<{ status: number; body: any }>, status: number, code: string) => {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.error.code).toBe(code);
    };
    await refused(upload(t, 'empty.txt', Buffer.alloc(0)), 400, 'EMPTY_UPLOAD');
    await refused(upload(t, 'big.bin', Buffer.alloc(5000, 1)), 413, 'UPLOAD_TOO_LARGE');
    await refused(upload(t, 'x.png', PNG, 'image/png', 'wrong-token'), 401, 'UNAUTHORIZED');
    const nameless = await fetch(`${t.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'image/png' }, body: new Uint8Array(PNG) });
    expect(nameless.status).toBe(400);
    expect(((await nameless.json()) as any).error.code).toBe('VALIDATION_FAILED');
    // a body sent in chunks, past the limit without announcing its length
    const chunked = await fetch(`${t.url}/api/v1/uploads?name=s.bin`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/octet-stream' },
      body: new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array(5000)), c.close()) }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('an answer carries its files as attachments of the mail; a note keeps its file on the timeline', async () => {
    const sent = await t.smtp([`From: Ida <ida@customer.test>`, `To: ${SUPPORT}`, 'Subject: Invoice copy', `Message-ID: ${newMessageId()}`, '', 'Could you send my invoice again?', ''].join('\r\n'));
    expect(sent.code).toBe(250);
    const [kase] = await eventually(async () => ((await t.casesOf('ida@customer.test')).length ? t.casesOf('ida@customer.test') : null));
    const pdf = await uploaded(t, 'invoice 42.pdf', PDF, 'application/pdf');
    const png = await uploaded(t, 'stamp.png', PNG, 'image/png');

    const before = (await t.caseView(kase.number)).interactions.length;
    // an answer naming a file never uploaded is refused whole: nothing stored, nothing sent
    for (const attachments of [[{ ...pdf, id: 'f'.repeat(64) }], [{ ...pdf, id: 'not-a-hash' }], Array.from({ length: 11 }, () => pdf)]) {
      const bad = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Here it is.', attachments });
      expect(bad.status, JSON.stringify(bad.body)).toBe(400);
      expect(bad.body.error.code).toMatch(/^(UPLOAD_NOT_FOUND|VALIDATION_FAILED)$/u);
    }
    const empty = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: '  ' });
    expect(empty.status).toBe(400);
    expect((await t.caseView(kase.number)).interactions.length).toBe(before);

    const res = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Here is your invoice.', attachments: [pdf, png] });
    expect(res.status).toBe(202);
    const [mail] = await t.sink.waitFor(1);
    const parsed = await parseMail(mail!.raw);
    expect(parsed.text?.trim()).toContain('Here is your invoice.');
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.equals(a.filename === 'stamp.png' ? PNG : PDF)])).toEqual([
      ['invoice 42.pdf', 'application/pdf', true],
      ['stamp.png', 'image/png', true],
    ]);
    const answer = (await t.caseView(kase.number)).interactions.find((i: any) => i.id === res.body.interactionId);
    expect(answer.attachments).toMatchObject([
      { name: 'invoice 42.pdf', contentType: 'application/pdf', size: PDF.length },
      { name: 'stamp.png', contentType: 'image/png', size: PNG.length },
    ]);
    // the agent opens what was sent through the case's own route
    const opened = await fetch(`${t.url}/api/v1/cases/${kase.number}/interactions/${answer.id}/attachments/1`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(Buffer.from(await opened.arrayBuffer())).toEqual(PNG);

    // a note with only a file: kept on the timeline, never sent
    const note = await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: '', internal: true, attachments: [pdf] });
    expect(note.status).toBe(202);
    const kept = (await t.caseView(kase.number)).interactions.find((i: any) => i.id === note.body.interactionId);
    expect(kept).toMatchObject({ kind: 'note', attachments: [{ name: 'invoice 42.pdf' }] });
    await new Promise((r) => setTimeout(r, 200));
    expect(t.sink.messages).toHaveLength(1);
  });
});

describe('answers by chat and SMS', () => {
  let t: TestApp;
  let twilio: FakeTwilioApi;
  beforeAll(async () => {
    twilio = await startFakeTwilioApi();
    t = await startApp(smsTestEnv(twilio));
  });
  afterAll(async () => {
    await t?.close();
    await twilio?.close();
  });

  it('a chat visitor gets links that open the files without signing in; a wrong or altered link opens nothing', async () => {
    const visitor = await ChatClient.open(t.url, { name: 'Vic Visitor', email: 'vic@visitor.test' });
    visitor.send({ type: 'message', text: 'Can I see a photo of the part?', id: 'm1' });
    await visitor.waitFor((f) => f.type === 'ack');
    const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=vic@visitor.test')).body.items[0]);
    const png = await uploaded(t, 'part.png', PNG, 'image/png');
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: '', attachments: [png] })).status).toBe(202);

    const frame = await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound');
    expect(frame.attachments).toEqual([{ name: 'part.png', contentType: 'image/png', size: PNG.length, url: expect.stringMatching(/\/media\/.+\/0\/[\w-]+\/part\.png$/u) }]);
    expect(JSON.stringify(frame)).not.toContain('storedPath');
    const link = frame.attachments[0].url as string;
    const got = await fetch(local(t, link));
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(Buffer.from(await got.arrayBuffer())).toEqual(PNG);

    // the history after a reconnect carries the same links
    await visitor.connect();
    const history = await visitor.waitFor((f) => f.type === 'history');
    expect(history.messages.find((m: any) => m.direction === 'outbound').attachments[0].url).toBe(link);
    await visitor.close();

    const parts = new URL(link).pathname.split('/');
    const altered = (i: number, v: string) => parts.map((p, j) => (j === i ? v : p)).join('/');
    for (const bad of [altered(4, 'x'.repeat(24)), altered(3, '1'), altered(2, 'nope'), altered(4, '')]) {
      const res = await fetch(`${t.url}${bad}`);
      expect([400, 404], bad).toContain(res.status);
    }
  });

  it('an SMS answer sends images as MMS media and other files as links in the text', async () => {
    expect((await textTheApp(t, '+14155550123', 'Please send the manual and a photo')).status).toBe(200);
    const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('+14155550123')}`)).body.items[0]);
    const png = await uploaded(t, 'photo.png', PNG, 'image/png');
    const pdf = await uploaded(t, 'manual.pdf', PDF, 'application/pdf');
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Here you go.', attachments: [png, pdf] })).status).toBe(202);
    const send = await eventually(async () => twilio.sends.find((r) => r.params.To === '+14155550123' && r.params.Body?.startsWith('Here you go.')));
    expect(send.params.MediaUrl).toMatch(/\/media\/.+\/0\/[\w-]+\/photo\.png$/u);
    const [text, line] = send.params.Body!.split('\n');
    expect(text).toBe('Here you go.');
    expect(line).toMatch(/^https:\/\/support\.example\.test\/media\/.+\/1\/[\w-]+\/manual\.pdf$/u);
    // what Twilio fetches for the MMS is the image itself
    expect(Buffer.from(await (await fetch(local(t, send.params.MediaUrl!))).arrayBuffer())).toEqual(PNG);
    const pdfLink = line!;
    const pdfGot = await fetch(local(t, pdfLink));
    expect(pdfGot.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''manual.pdf");
    expect(Buffer.from(await pdfGot.arrayBuffer())).toEqual(PDF);
  });
});

describe('links lapse', () => {
  it('after MEDIA_LINK_DAYS', async () => {
    // the gateway's clock, moved on by hand (it starts at the machine's time)
    let offset = 0;
    const t = await startApp({ MEDIA_LINK_DAYS: '2' }, { clock: { now: () => new Date(Date.now() + offset) } });
    try {
      const visitor = await ChatClient.open(t.url, { name: 'Lea', email: 'lea@visitor.test' });
      visitor.send({ type: 'message', text: 'hello', id: 'l1' });
      const kase = await eventually(async () => (await t.api('GET', '/api/v1/cases?contact=lea@visitor.test')).body.items[0]);
      const png = await uploaded(t, 'p.png', PNG, 'image/png');
      expect((await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'see', attachments: [png] })).status).toBe(202);
      const link = (await visitor.waitFor((f) => f.type === 'message' && f.direction === 'outbound')).attachments[0].url as string;
      await visitor.close();
      offset += 2 * 86_400_000 - 60_000;
      expect((await fetch(local(t, link))).status).toBe(200);
      offset += 120_000;
      expect((await fetch(local(t, link))).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('answers on Slack', () => {
  let s: SlackTestApp;
  beforeAll(async () => {
    s = await startAppWithSlack({ SLACK_DEFAULT_CHANNEL: 'CSUPPORT' });
    s.fake.users.set('UDORA', { id: 'UDORA', name: 'dora', realName: 'Dora Client', email: 'dora@client.test' });
  });
  afterAll(() => s?.close());

  it('share the files in the customer’s thread, with the text as their message', async () => {
    const ts = newTs();
    await s.slack.event(messageEnvelope({ channel: 'DDORA', channel_type: 'im', user: 'UDORA', text: 'Can you send the report?', ts, client_msg_id: 'c1' }));
    const kase = await eventually(async () => (await s.t.api('GET', '/api/v1/cases?contact=dora@client.test')).body.items[0]);
    const pdf = await uploaded(s.t, 'report.pdf', PDF, 'application/pdf');
    const png = await uploaded(s.t, 'chart.png', PNG, 'image/png');
    expect((await s.t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'The report and its chart.', attachments: [pdf, png] })).status).toBe(202);
    const post = await s.fake.waitFor(() => s.fake.posts.find((p) => p.channel === 'DDORA' && p.files), 10_000, 'the files in the DM');
    expect(post.threadTs).toBe(ts);
    expect(post.text).toContain('The report and its chart.');
    expect(post.files!.map((f) => [f.name, f.bytes.equals(f.name === 'chart.png' ? PNG : PDF)])).toEqual([
      ['report.pdf', true],
      ['chart.png', true],
    ]);
    const out = await eventually(async () => (await s.t.api('GET', `/api/v1/cases/${kase.number}`)).body.interactions.find((i: any) => i.direction === 'outbound' && i.status === 'sent'));
    expect(out.attachments).toHaveLength(2);
    expect(s.fake.callsOf('chat.postMessage').filter((c) => c.params.channel === 'DDORA')).toHaveLength(0);
  });
});
