import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { trimReply } from '../../../../channels/email/reply-trimmer.ts';
import { normalizeReply } from '../../../../channels/email/scripts/reply-cases.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/email-reply-trimmer');
/**
 * That set keeps the quoted lines of an answer written between quotes as context; ours keeps the answers
 * alone (the whole mail stays as the full text). These two differ by that alone.
 */
const ANSWERS_BETWEEN_QUOTES = ['embedded_email_17.txt', 'embedded_email_7.txt'];
const withoutQuotedLines = (s: string) => s.split('\n').filter((l) => !/^\s*>/u.test(l)).join('\n').replace(/\n{3,}/gu, '\n\n');

describe('reply trimmer', () => {
  it('matches the email_reply_trimmer expectations exactly, but for the quotes around answers written between them', () => {
    const files = fs.readdirSync(path.join(DIR, 'emails')).sort();
    expect(files.length).toBe(64);
    const misses: string[] = [];
    for (const f of files) {
      const got = trimReply(fs.readFileSync(path.join(DIR, 'emails', f), 'utf8')).text;
      const expected = normalizeReply(fs.readFileSync(path.join(DIR, 'trimmed', f), 'utf8'));
      if (normalizeReply(got) === expected) continue;
      misses.push(f);
      // the answers are all there, in order, and no quoted line is
      expect(normalizeReply(got).replace(/\n{3,}/gu, '\n\n'), f).toBe(normalizeReply(withoutQuotedLines(expected)));
    }
    expect(misses).toEqual(ANSWERS_BETWEEN_QUOTES);
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

  it('keeps what the customer wrote that looks like the new separators, and a one-line answer above a header', () => {
    for (const text of [
      'In reply to: your mail of Monday, the refund has still not arrived.\nPlease check order 123.\n\nThanks, Bob',
      'Hi\n\nIn reply to: your question about the invoice\nthe amount is wrong',
      'Hello,\n\nYour mail said to reply above this line, so here goes:\nmy order 123 never arrived.',
      'Hi,\n\nSent from a different address because I cannot log in\nOrder 123 never arrived.',
      'The install fails:\n```\n> npm install\nERR! code E404\n```',
      'Our numbers this week:\n> 500 orders failed\n> 20 refunds pending\nPlease advise.',
    ]) {
      expect(trimReply(text).text, text).toBe(text);
    }
    expect(trimReply('Fixed, thanks\n\n##- Please type your reply above this line -##\n\nYour request 4411 was updated').text).toBe('Fixed, thanks');
    expect(trimReply('Ok\nBob Smith <bob@example.com> wrote:\n> Can we close the ticket?').text).toBe('Ok');
    expect(trimReply('Yes\nAt 6/16/2016 08:32 PM, you wrote:\n> Did it work?').text).toBe('Yes');
    expect(trimReply('👍\nBob <b@x.com> schrieb am Fr., 28. Apr. 2017 um 11:53 Uhr:\n> Passt das?').text).toBe('👍');
    // a header wrapped where it ran long is still one header
    expect(trimReply('Still broken.\n\nOn Mon, 3 Mar 2025 at 10:00, Support Team of Example Shop Limited\n<support@example.com> wrote:\n> Did it work?').text).toBe('Still broken.');
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
    // the header forms added for other clients and languages, the helpdesk lines, and quoted headers
    for (const line of [
      `${'a'.repeat(150)}x@y.zz @ ${'1'.repeat(79)} ${'x'.repeat(79)}:`,
      `${'a@b.cc '.repeat(30)}@ ${'1 '.repeat(40)}x:`,
      `Wiadomość napisana przez ${'x '.repeat(150)} w dniu ${'1'.repeat(100)} ${'2'.repeat(100)}:`,
      `Wiadomość napisana przez x${' w dniu '.repeat(10)}${'1'.repeat(60)}${'x'.repeat(121)}:`,
      `${'a'.repeat(100)} x@y.zz${' @ 1'.repeat(40)}:`,
      `${'word '.repeat(6)}above this line ${'reply '.repeat(8)}`,
      `From: ${'x sent '.repeat(60)}`,
      '> On Mon, 3 Mar 2025, A <a@b.c> wrote:',
    ]) {
      expect(typeof trimReply(body(line)).text).toBe('string');
    }
    expect(trimReply(`${body('> On Mon, 3 Mar 2025, A <a@b.c> wrote:')}mine`).text).toBe('mine');
    expect(trimReply('> q\nanswer\n'.repeat(20_000)).reason).toBe('inline_quotes');
    expect(trimReply('')).toEqual({ text: '', reason: 'none' });
  });
});
