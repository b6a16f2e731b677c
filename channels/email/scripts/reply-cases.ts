/**
 * The labelled reply sets the trimmer is measured on, read from tests/fixtures: each case is a body (plain
 * text, or the HTML of an HTML-only mail) and the text its sender newly wrote.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MimeParserPool } from '../mime-parser.ts';
import { trimReply } from '../reply-trimmer.ts';

export interface ReplyCase {
  name: string;
  body: string;
  html: boolean;
  expected: string;
}

export interface ReplySet {
  id: string;
  title: string;
  cases: ReplyCase[];
}

const FIXTURES = resolve(import.meta.dirname, '../../../tests/fixtures');

/** both sides compared without trailing spaces and without blank lines at the ends */
export const normalizeReply = (s: string): string =>
  s.replace(/\r\n?/gu, '\n').split('\n').map((l) => l.replace(/\s+$/u, '')).join('\n').replace(/^\n+|\n+$/gu, '');

export function replySets(): ReplySet[] {
  const trimmer = join(FIXTURES, 'email-reply-trimmer');
  const sets: ReplySet[] = [
    {
      id: 'email-reply-trimmer',
      title: 'discourse/email_reply_trimmer, emails/ against trimmed/',
      cases: readdirSync(join(trimmer, 'emails')).sort().map((f) => ({
        name: f,
        body: readFileSync(join(trimmer, 'emails', f), 'utf8'),
        html: false,
        expected: readFileSync(join(trimmer, 'trimmed', f), 'utf8'),
      })),
    },
  ];
  for (const [id, title] of [
    ['email-reply-parser', 'github/email_reply_parser bodies, expected text written by hand'],
    ['email-reply-families', 'replies written for the tests, by family and language'],
    ['email-reply-heldout', 'replies written apart for the tests, never tuned on'],
  ] as const) {
    const dir = join(FIXTURES, id);
    if (!existsSync(dir)) continue;
    const cases = readdirSync(dir)
      .filter((f) => f.endsWith('.expected.txt'))
      .sort()
      .flatMap((f) => {
        const stem = f.slice(0, -'.expected.txt'.length);
        const source = [`${stem}.html`, `${stem}.txt`, stem].find((s) => existsSync(join(dir, s)));
        if (!source) return [];
        return [{ name: source, body: readFileSync(join(dir, source), 'utf8'), html: source.endsWith('.html'), expected: readFileSync(join(dir, f), 'utf8') }];
      });
    sets.push({ id, title, cases });
  }
  return sets;
}

/** The trimmed text of a case: a plain body as it is; an HTML one as an HTML-only mail through the real parser. */
export async function trimCase(c: ReplyCase, parser: MimeParserPool): Promise<string> {
  if (!c.html) return trimReply(c.body).text;
  const raw = Buffer.from(
    `From: Customer <customer@example.com>\r\nTo: support@example.com\r\nSubject: Re: your request\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${c.body}`,
  );
  const mail = await parser.parse(raw);
  return trimReply(mail.text, mail.quoteAt).text;
}

export function replyParser(): MimeParserPool {
  return new MimeParserPool({ maxBytes: 10 * 1024 * 1024, maxParts: 100, timeoutMs: 10_000, maxHtmlLength: 2 * 1024 * 1024, workers: 1 });
}
