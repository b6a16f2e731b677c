import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { trimReply } from '../../../../channels/email/reply-trimmer.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/email-reply-trimmer');
/** measured 64/64 on discourse/email_reply_trimmer's emails/ vs trimmed/; must not drop */
const MIN_EXACT_MATCH_RATE = 1.0;

describe('reply trimmer', () => {
  it('matches the email_reply_trimmer expectations exactly', () => {
    const files = fs.readdirSync(path.join(DIR, 'emails')).sort();
    expect(files.length).toBe(64);
    const misses: string[] = [];
    for (const f of files) {
      const got = trimReply(fs.readFileSync(path.join(DIR, 'emails', f), 'utf8')).text;
      const expected = fs
        .readFileSync(path.join(DIR, 'trimmed', f), 'utf8')
        .replace(/\r\n?/gu, '\n')
        .replace(/^\s*\n/u, '')
        .replace(/\s+$/u, '');
      if (got !== expected) misses.push(f);
    }
    const rate = (files.length - misses.length) / files.length;
    expect(rate, `misses: ${misses.join(', ')}`).toBeGreaterThanOrEqual(MIN_EXACT_MATCH_RATE);
  });

  it('keeps a plain message whole and says nothing was cut', () => {
    expect(trimReply('Hi,\n\nmy order 123 never arrived.\n\nThanks, Ada')).toEqual({ text: 'Hi,\n\nmy order 123 never arrived.\n\nThanks, Ada', reason: 'none' });
  });

  it('cuts Gmail, Outlook and mobile history and says why', () => {
    expect(trimReply('Still broken.\n\nOn Mon, 3 Mar 2025 at 10:00, Support <support@example.com> wrote:\n> Did it work?')).toEqual({ text: 'Still broken.', reason: 'quote_header' });
    expect(trimReply('Yes.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\nTo: Ada\nSubject: Re: x\n\nold')).toEqual({ text: 'Yes.', reason: 'delimiter' });
    expect(trimReply('Yes.\r\n\r\nFrom: Support <support@example.com>\r\nSent: Monday, 3 March 2025 10:00\r\nTo: Ada\r\nSubject: x\r\n\r\nold')).toEqual({ text: 'Yes.', reason: 'header_block' });
    expect(trimReply('ok thanks\n\nSent from my iPhone')).toEqual({ text: 'ok thanks', reason: 'signature' });
  });

  it('does not take an ordinary sentence starting with "Sent from" for a signature', () => {
    const text = 'The parcel was\nSent from our warehouse in Leeds on 3 March and never arrived.';
    expect(trimReply(text).text).toBe(text);
    const desk = 'Here is another email\n\nSent from my desk, is much easier then my mobile phone.';
    expect(trimReply(desk).text).toBe(desk);
    expect(trimReply('Here it is\n\nSent from my Huawei').text).toBe('Here it is');
    expect(trimReply('Here it is\n\nSent from my iPhone, please excuse typos').text).toBe('Here it is');
  });

  // The timeout is a guard against a hang (catastrophic backtracking, quadratic scans), not a speed goal:
  // each of these 256 KB bodies once took seconds to a minute of a blocked event loop.
  it('never hangs on pathological input', { timeout: 20_000 }, () => {
    const body = (line: string) => `${line}\n`.repeat(Math.floor((256 * 1024) / (line.length + 1)));
    expect(trimReply(`${'On '.repeat(20_000)}\n${'> x\n'.repeat(20_000)}${'a'.repeat(200_000)}`).text.length).toBeGreaterThan(0);
    expect(trimReply('wrote:\n'.repeat(50_000)).reason).not.toBe('none');
    for (const line of [
      `${'@'.repeat(190)}${' wrote'.repeat(33)} ${'1'.repeat(79)} x`,
      `${'@'.repeat(150)}${' wrote'.repeat(60)} ${'x'.repeat(200)}:`,
      `on ${'1'.repeat(38)}${' wrote'.repeat(40)} y${' z'.repeat(120)}:`,
      `${'a'.repeat(100)}${' wrote'.repeat(30)}${' x'.repeat(100)}:`,
      '__\n',
    ]) {
      expect(typeof trimReply(body(line)).text).toBe('string');
    }
    expect(trimReply('')).toEqual({ text: '', reason: 'none' });
  });
});
