import { afterEach, describe, expect, it } from 'vitest';
import { MimeParserPool, precheckRaw } from '../../../../channels/email/mime-parser.ts';
import { EmailInboundError } from '../../../../channels/email/email.errors.ts';

const opts = { maxBytes: 25 * 1024 * 1024, maxParts: 500, timeoutMs: 10_000, maxHtmlLength: 2 * 1024 * 1024, workers: 2 };
let pool: MimeParserPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

const simple = Buffer.from('From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n');

function code(fn: () => void): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof EmailInboundError ? e.code : 'OTHER';
  }
  return undefined;
}

describe('precheck', () => {
  it('refuses a 30 MB message, 2,000 parts and empty input before parsing', () => {
    expect(code(() => precheckRaw(Buffer.alloc(30 * 1024 * 1024, 0x61), opts))).toBe('MESSAGE_TOO_LARGE');
    const parts = Array.from({ length: 2000 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\n${i}`).join('\r\n');
    expect(code(() => precheckRaw(Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n${parts}\r\n--b--`), opts))).toBe('TOO_MANY_PARTS');
    expect(code(() => precheckRaw(Buffer.from(' \r\n\t'), opts))).toBe('EMPTY_MESSAGE');
    expect(code(() => precheckRaw(simple, opts))).toBeUndefined();
  });
});

describe('MimeParserPool', () => {
  it('parses headers, addresses and text off the main thread', async () => {
    pool = new MimeParserPool(opts);
    const mail = await pool.parse(Buffer.from('From: "Ada" <ada@example.org>\r\nReply-To: ada+x@example.org\r\nTo: support@example.com\r\nSubject: =?utf-8?q?H=C3=A9llo?=\r\nAuto-Submitted: no\r\n\r\nbody\r\n'));
    expect(mail.from).toEqual([{ address: 'ada@example.org', name: 'Ada' }]);
    expect(mail.replyTo[0]?.address).toBe('ada+x@example.org');
    expect(mail.subject).toBe('Héllo');
    expect(mail.headers['auto-submitted']).toEqual(['no']);
    expect(mail.text.trim()).toBe('body');
  });

  it('gives up on a parse over the timeout, and the next message still parses', async () => {
    pool = new MimeParserPool({ ...opts, timeoutMs: 1, workers: 1 });
    const big = Buffer.from(`Content-Type: text/plain\r\n\r\n${'line of text\r\n'.repeat(400_000)}`);
    await expect(pool.parse(big)).rejects.toMatchObject({ code: 'PARSE_TIMEOUT' });
    await pool.close();
    pool = new MimeParserPool({ ...opts, workers: 1 });
    expect((await pool.parse(simple)).subject).toBe('hi');
  });

  it('a slow message does not hold back others on the second worker', async () => {
    pool = new MimeParserPool({ ...opts, workers: 2 });
    const slow = Buffer.from(`Content-Type: text/html\r\n\r\n${'<div><p>x</p></div>'.repeat(100_000)}`);
    const slowDone = pool.parse(slow).then(() => performance.now());
    await new Promise((r) => setTimeout(r, 20));
    const fastDone = await pool.parse(simple).then(() => performance.now());
    expect(fastDone).toBeLessThanOrEqual(await slowDone);
  });

  it('HTML nested thousands deep is not converted (the gateway’s plain conversion reads it), and quickly', async () => {
    pool = new MimeParserPool({ ...opts, timeoutMs: 3_000 });
    // deep, and deep behind closing tags that close nothing, tags inside attribute values, or tables
    for (const html of [
      '<div>'.repeat(200_000),
      '<blockquote type="cite">'.repeat(60_000),
      '<div></span>'.repeat(150_000),
      '<div title="</div>">'.repeat(3000),
      '<table><tr><td>'.repeat(600),
      `<div>Please refund order 123.</div>${'<div></i>'.repeat(1500)}`,
    ]) {
      const mail = await pool.parse(Buffer.from(`Content-Type: text/html\r\n\r\n${html}deep`));
      expect(mail.text).toBe('');
      expect(mail.quoteAt).toBeUndefined();
      expect(mail.html).toContain('deep');
    }
    // nested as ordinary mail gets, and badly closed: converted
    const ok = await pool.parse(Buffer.from(`Content-Type: text/html\r\n\r\n<p>a<p>b${'<div><p>x<li>y<br>'.repeat(300)}${'</div>'.repeat(300)}`));
    expect(ok.text).toContain('x');
  });

  it('best effort for malformed MIME, unknown charsets and 8-bit header junk', async () => {
    pool = new MimeParserPool(opts);
    const junk = Buffer.concat([
      Buffer.from('From: \xff\xfe <ada@example.org>\r\nSubject: \x80\x81 =?bogus?Q?x?=\r\nContent-Type: multipart/mixed; boundary="never"\r\n\r\n--never\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n', 'latin1'),
      Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0x0a]),
    ]);
    const mail = await pool.parse(junk);
    expect(mail.from[0]?.address).toBe('ada@example.org');
    expect(typeof mail.text).toBe('string');
  });
});
