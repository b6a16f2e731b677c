/**
 * Bad mail gets a clear refusal (SMTP code or 4xx JSON) or is stored best effort — never a crash or
 * a hang — and one slow or heavy message never holds up the others.
 */
import { inStore } from '../support/store-rows.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { eventually } from '../support/test-app.ts';
import { newMessageId, rawMail, startEmailApp, SUPPORT, type EmailApp } from './email-kit.ts';

let t: EmailApp;
beforeAll(async () => {
  t = await startEmailApp();
});
afterAll(() => t.stop());

const MB = 1024 * 1024;

async function counts() {
  const p = inStore(t.app.switchboard.db);
  await t.settled();
  return { interactions: await p.interaction.count(), cases: await p.case.count() };
}

function manyParts(n: number): Buffer {
  const lines = ['From: parts@customer.test', `To: ${SUPPORT}`, `Message-ID: ${newMessageId()}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="p"', ''];
  for (let i = 0; i < n; i++) lines.push('--p', 'Content-Type: text/plain', '', `part ${i}`);
  lines.push('--p--', '');
  return Buffer.from(lines.join('\r\n'));
}

/**
 * A hand-driven SMTP session, for what a mail library will not do: leave out SIZE, stall mid-DATA.
 * `send` writes and resolves with the next complete reply.
 */
class RawSmtp {
  private buffer = '';
  private waiting: ((line: string) => void) | null = null;
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buffer += d.toString('latin1');
      this.flush();
    });
  }

  static async open(port: number): Promise<RawSmtp> {
    const socket = net.connect(port, '127.0.0.1');
    const s = new RawSmtp(socket);
    await s.reply();
    return s;
  }

  private flush() {
    // a complete reply ends with a line whose code is followed by a space
    const m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/u.exec(this.buffer);
    if (!m || !this.waiting) return;
    const end = m.index + m[0].length;
    const reply = this.buffer.slice(0, end);
    this.buffer = this.buffer.slice(end);
    const w = this.waiting;
    this.waiting = null;
    w(reply.trim().split('\r\n').at(-1)!);
  }

  reply(): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.flush();
    });
  }

  async send(data: string | Buffer): Promise<string> {
    const r = this.reply();
    this.socket.write(data);
    return r;
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** EHLO, MAIL FROM (no SIZE), RCPT TO and DATA; resolves at the 354 */
  async begin(from: string): Promise<void> {
    expect(await this.send('EHLO tester\r\n')).toMatch(/^250 /u);
    expect(await this.send(`MAIL FROM:<${from}>\r\n`)).toMatch(/^250 /u);
    expect(await this.send(`RCPT TO:<${SUPPORT}>\r\n`)).toMatch(/^250 /u);
    expect(await this.send('DATA\r\n')).toMatch(/^354 /u);
  }

  close(): void {
    this.socket.end('QUIT\r\n');
  }
}

describe('refused with a clear code, changing nothing', () => {
  it('a 30 MB message: 552 over SMTP (declared SIZE or not), 413 over the webhook', async () => {
    const before = await counts();
    const body = 'x'.repeat(998) + '\r\n';
    const big = Buffer.concat([rawMail({ from: 'big@customer.test' }), Buffer.from(body.repeat(Math.ceil((30 * MB) / body.length)))]);
    expect((await t.smtp(big)).code).toBe(552);

    const s = await RawSmtp.open(t.smtpPort);
    await s.begin('big@customer.test');
    for (let sent = 0; sent < 30 * MB; sent += MB) s.write(body.repeat(Math.ceil(MB / body.length)));
    expect(await s.send('\r\n.\r\n')).toMatch(/^552 /u);
    s.close();

    expect((await t.webhook(big)).status).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('2,000 MIME parts: 554 over SMTP, 422 TOO_MANY_PARTS over the webhook', async () => {
    const before = await counts();
    const res = await t.smtp(manyParts(2000));
    expect(res.code).toBe(554);
    expect(res.response).toMatch(/too many MIME parts/u);
    const hook = await t.webhook(manyParts(2000));
    expect(hook.status).toBe(422);
    expect(hook.body.error.code).toBe('TOO_MANY_PARTS');
    expect(await counts()).toEqual(before);
  });

  it('an empty message: 554 over SMTP, 400 EMPTY_MESSAGE over the webhook', async () => {
    const before = await counts();
    const s = await RawSmtp.open(t.smtpPort);
    await s.begin('empty@customer.test');
    expect(await s.send('.\r\n')).toMatch(/^554 .*empty/u);
    s.close();
    expect((await t.smtp('\r\n \r\n')).code).toBe(554);
    const hook = await t.webhook(' \r\n\r\n');
    expect(hook.status).toBe(400);
    expect(hook.body.error.code).toBe('EMPTY_MESSAGE');
    expect(await counts()).toEqual(before);
  });
});

describe('stored best effort', () => {
  it('8-bit junk in headers and an unknown charset still open a case with readable text', async () => {
    const raw = Buffer.concat([
      Buffer.from(
        `From: \xff\xfe J\xfcrgen <jurgen@customer.test>\r\nTo: ${SUPPORT}\r\nSubject: Gr\xfc\xdfe \x80\x81 =?x-klingon?B?AAAA?=\r\nMessage-ID: ${newMessageId()}\r\nX-Junk: \x00\x01\x02\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nmy m\xf6bius strip broke `,
        'latin1',
      ),
      Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0x0d, 0x0a]),
    ]);
    expect((await t.smtp(raw, { from: 'jurgen@customer.test' })).code).toBe(250);
    const [kase] = await t.casesOf('jurgen@customer.test');
    expect(kase.subject).toMatch(/^Gr/u);
    const [first] = (await t.caseView(kase.number)).interactions;
    expect(first.text).toMatch(/strip broke/u);
  });

  it('malformed MIME (no closing boundary, broken base64) is read as far as it goes', async () => {
    const raw = [
      'From: broken@customer.test',
      `To: ${SUPPORT}`,
      `Message-ID: ${newMessageId()}`,
      'Content-Type: multipart/mixed; boundary="never-closed"',
      '',
      '--never-closed',
      'Content-Type: text/plain',
      '',
      'the text part survives',
      '--never-closed',
      'Content-Type: application/pdf; name="x.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      '%%%% not base64 at all ####',
      '',
    ].join('\r\n');
    expect((await t.smtp(raw)).code).toBe(250);
    const [kase] = await t.casesOf('broken@customer.test');
    expect((await t.caseView(kase.number)).interactions[0].text).toBe('the text part survives');
  });

  it('a 10 MB text part is stored cut to the text limit, never refused for its length', async () => {
    const body = Array.from({ length: 10 * 1024 }, (_, i) => `line ${i} ${'é'.repeat(500)}`).join('\r\n');
    expect((await t.smtp(rawMail({ from: 'long@customer.test', body }))).code).toBe(250);
    const [kase] = await t.casesOf('long@customer.test');
    const [first] = (await t.caseView(kase.number)).interactions;
    expect(Buffer.byteLength(first.text, 'utf8')).toBeLessThanOrEqual(64 * 1024);
    expect(first.text.startsWith('line 0 éé')).toBe(true);
    expect(first.text).not.toMatch(/\uFFFD/u);
  });

  it('a Message-ID too long to be a provider id is still deduplicated', async () => {
    const id = `<${'a'.repeat(900)}@customer.test>`;
    const raw = rawMail({ from: 'longid@customer.test', messageId: id });
    expect((await t.smtp(raw)).code).toBe(250);
    expect((await t.smtp(raw)).code).toBe(250);
    await t.settled();
    const rows = await inStore(t.app.switchboard.db).interaction.findMany({ where: { messageId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.externalId).toMatch(/^sha256:[0-9a-f]{64}$/u);
  });

  it('a mail naming no sender at all is kept but opens no case; one without a Message-ID is deduplicated by content', async () => {
    const before = await counts();
    const nobody = Buffer.from(`To: ${SUPPORT}\r\nSubject: who am I\r\nMessage-ID: ${newMessageId()}\r\n\r\nno from header\r\n`);
    expect((await t.smtp(nobody, { from: '' })).code).toBe(250);
    const noId = rawMail({ from: 'noid@customer.test', messageId: '' });
    expect((await t.smtp(noId)).code).toBe(250);
    expect((await t.smtp(noId)).code).toBe(250);
    const after = await counts();
    expect(after.interactions).toBe(before.interactions + 2);
    expect(after.cases).toBe(before.cases + 1);
    const row = await inStore(t.app.switchboard.db).interaction.findFirstOrThrow({ where: { subject: 'who am I' } });
    expect({ kind: row.kind, status: row.status, caseId: row.caseId }).toEqual({ kind: 'auto_reply', status: 'ignored', caseId: null });
  });
});

describe('one slow message never stalls the others', () => {
  it('a sender stalling mid-DATA does not hold up another sender', async () => {
    const slow = await RawSmtp.open(t.smtpPort);
    await slow.begin('slow@customer.test');
    const raw = rawMail({ from: 'slow@customer.test' });
    slow.write(raw.subarray(0, 60));

    expect((await t.smtp(rawMail({ from: 'quick@customer.test' }))).code).toBe(250);
    expect(await t.casesOf('quick@customer.test')).toHaveLength(1);

    slow.write(raw.subarray(60));
    expect(await slow.send('\r\n.\r\n')).toMatch(/^250 /u);
    slow.close();
    expect(await t.casesOf('slow@customer.test')).toHaveLength(1);
  });

  it('a message that is slow to parse does not hold up a simple one', async () => {
    // 1.8 MB of HTML and no text part: the parser converts it to text, which takes it about a second
    const heavy = Buffer.from(
      `From: heavy@customer.test\r\nTo: ${SUPPORT}\r\nMessage-ID: ${newMessageId()}\r\nContent-Type: text/html\r\n\r\n${'<div><p>deep <b>html</b></p></div>\r\n'.repeat(50_000)}`,
    );
    const order: string[] = [];
    const heavyDone = t.smtp(heavy).then((r) => {
      order.push('heavy');
      return r;
    });
    await new Promise((r) => setTimeout(r, 50));
    const quick = await t.smtp(rawMail({ from: 'quick2@customer.test' }));
    order.push('quick');
    expect(quick.code).toBe(250);
    expect((await heavyDone).code).toBe(250);
    expect(order).toEqual(['quick', 'heavy']);
    await eventually(async () => (await t.casesOf('heavy@customer.test')).length === 1);
  });

  it('after all of it the gateway still answers', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await t.smtp(rawMail({ from: 'after@customer.test' }))).code).toBe(250);
    expect(await t.casesOf('after@customer.test')).toHaveLength(1);
  });
});
