/**
 * The text the loop guard's wording checks read: the start of the body (the HTML made plain when
 * there is no text part), cut to what the sender newly wrote. Quoted history and forwarded mail are
 * dropped, so a customer quoting or forwarding a machine's mail is judged by their own words. Pure.
 */
import type { ParsedEmail } from './mime-parser.ts';
import { trimReply } from './reply-trimmer.ts';
import { htmlToPlainText } from './html-text.ts';

/** machine notices say what they are at the top; reading more only costs time */
const HEAD_CHARS = 16 * 1024;

/** the body's first characters, line breaks normalized */
function bodyHead(mail: ParsedEmail): string {
  const text = mail.text.trim() === '' && mail.html ? htmlToPlainText(mail.html, HEAD_CHARS) : mail.text;
  return text.slice(0, HEAD_CHARS).replace(/\r\n?/gu, '\n');
}

export function noticeText(mail: ParsedEmail): string {
  return trimReply(bodyHead(mail))
    .text.split('\n')
    .filter((line) => !/^\s*>/u.test(line))
    .join('\n');
}
