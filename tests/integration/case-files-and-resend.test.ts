/**
 * What the workspace opens and retries: an attachment through an authorized route (images shown, anything
 * else only downloaded, never rendered on our origin), and a failed answer sent again by a person, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT, newMessageId, startEmailApp, type EmailApp } from './email-kit.ts';
import { smsTestEnv, startFakeTwilioApi, textTheApp, type FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { eventually, startApp, type TestApp } from '../support/test-app.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const HTML = Buffer.from('<script>alert(document.cookie)</script>');

function mailWithFiles(from: string): string {
  const part = (type: string, name: string, body: Buffer) => [`--f`, `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', body.toString('base64')];
  return [
    `From: ${from}`, `To: ${SUPPORT}`, 'Subject: Photos of the damage', `Message-ID: ${newMessageId()}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="f"', '',
    '--f', 'Content-Type: text/plain; charset=utf-8', '', 'See the photo and the page.',
    ...part('image/png', 'damage.png', PNG),
    ...part('text/html', 'page.html', HTML),
    '--f--', '',
  ].join('\r\n');
}

describe('attachments', () => {
  let t: EmailApp;
  beforeAll(async () => {
    t = await startEmailApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('open through the API: an image inline, anything else as a download under a sandbox; nothing else is reachable', async () => {
    expect((await t.smtp(mailWithFiles('Ida <ida@customer.test>'))).code).toBe(250);
    const [kase] = await t.casesOf('ida@customer.test');
    const [first] = (await t.caseView(kase.number)).interactions;
    const base = `${t.url}/api/v1/cases/${kase.number}/interactions/${first.id}/attachments`;
    const auth = { authorization: 'Bearer test-admin-token' };

    const image = await fetch(`${base}/0`, { headers: auth });
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''damage.png");
    expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);

    const page = await fetch(`${base}/1`, { headers: auth });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('application/octet-stream');
    expect(page.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''page.html");
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await page.arrayBuffer())).toEqual(HTML);

    expect((await fetch(`${base}/0`)).status).toBe(401);
    for (const bad of [`${base}/2`, `${base}/-1`, `${base}/x`, `${t.url}/api/v1/cases/CS9999999/interactions/${first.id}/attachments/0`, `${t.url}/api/v1/cases/${kase.number}/interactions/nope/attachments/0`]) {
      const res = await fetch(bad, { headers: auth });
      expect([400, 404], bad).toContain(res.status);
      expect(((await res.json()) as { error: { code: string } }).error.code).toMatch(/NOT_FOUND|VALIDATION_FAILED/u);
    }
  });
});

describe('a failed answer', () => {
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

  it('is sent again by a person, on the record, and only a failed one', async () => {
    expect((await textTheApp(t, '+447700900901', 'Where is my order?')).status).toBe(200);
    const kase = await eventually(async () => (await t.api('GET', `/api/v1/cases?contact=${encodeURIComponent('+447700900901')}`)).body.items[0]);
    twilio.failNext(1, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const answer = (await t.api('POST', `/api/v1/cases/${kase.number}/replies`, { text: 'Tomorrow morning.' })).body.interactionId;
    const failed = await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.interactions.find((i: any) => i.id === answer && i.status === 'failed'));
    expect(failed.error).toContain('not a valid phone number');
    const sentBefore = twilio.sends.length;

    const resend = await t.api('POST', `/api/v1/cases/${kase.number}/interactions/${answer}/resend`);
    expect(resend.status).toBe(202);
    // Twilio takes it (it says queued until its status callback)
    await eventually(async () => twilio.sends.length === sentBefore + 1);
    expect(twilio.sends.at(-1)!.params).toMatchObject({ Body: 'Tomorrow morning.' });
    await eventually(async () => (await t.api('GET', `/api/v1/cases/${kase.number}`)).body.interactions.find((i: any) => i.id === answer && i.status !== 'failed' && !i.error));
    const detail = (await t.api('GET', `/api/v1/cases/${kase.number}`)).body;
    expect(detail.interactions.some((i: any) => i.kind === 'event' && /a failed answer sent again by/u.test(i.text))).toBe(true);

    // sent now: not again, and nothing else of the case or of another case
    const again = await t.api('POST', `/api/v1/cases/${kase.number}/interactions/${answer}/resend`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('NOT_FAILED');
    const inbound = detail.interactions.find((i: any) => i.direction === 'inbound').id;
    expect((await t.api('POST', `/api/v1/cases/${kase.number}/interactions/${inbound}/resend`)).status).toBe(404);
    expect((await t.api('POST', `/api/v1/cases/CS9999999/interactions/${answer}/resend`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(twilio.sends.length).toBe(sentBefore + 1);
  });
});
