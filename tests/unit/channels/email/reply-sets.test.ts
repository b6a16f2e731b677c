/**
 * The trimmer on the labelled reply sets (channels/email/scripts/reply-cases.ts): the reply parser's bodies
 * with hand-written expectations, and replies written for the tests by family (answers between quotes,
 * quote headers of many clients and languages, HTML-only replies cut at their quote containers through
 * the real parser worker, helpdesk separators, one-line replies, signatures). The held-out set, written
 * apart and never tuned on, is measured, not required: its floor is the goal the product promises.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeReply, replyParser, replySets, trimCase } from '../../../../channels/email/scripts/reply-cases.ts';
import { trimReply } from '../../../../channels/email/reply-trimmer.ts';

const parser = replyParser();
afterAll(() => parser.close());

/** the share each set must match exactly: every case of those tuned on, 90% of the held-out one */
const FLOOR: Record<string, number> = { 'email-reply-parser': 1, 'email-reply-families': 1, 'email-reply-heldout': 0.9 };

describe('reply sets', () => {
  for (const set of replySets().filter((s) => s.id in FLOOR)) {
    it(`${set.title}: at least ${FLOOR[set.id]! * 100}% exact`, { timeout: 30_000 }, async () => {
      expect(set.cases.length).toBeGreaterThan(20);
      const misses: string[] = [];
      for (const c of set.cases) if (normalizeReply(await trimCase(c, parser)) !== normalizeReply(c.expected)) misses.push(c.name);
      expect((set.cases.length - misses.length) / set.cases.length, `misses: ${misses.join(', ')}`).toBeGreaterThanOrEqual(FLOOR[set.id]!);
    });
  }

  it('an HTML reply keeps its quote in the full text', async () => {
    const html =
      '<div>Thanks, it works now.</div><div class="gmail_quote"><div class="gmail_attr">On Thu, Support wrote:</div>' +
      '<blockquote class="gmail_quote">Please restart the router.</blockquote></div>';
    const raw = (body: string) =>
      Buffer.from(`From: a@example.com\r\nTo: s@example.com\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${body}`);
    const mail = await parser.parse(raw(html));
    expect(mail.text).toContain('> Please restart the router.');
    expect(mail.text.slice(mail.quoteAt)).toMatch(/^On Thu, Support wrote:/u);
    expect(trimReply(mail.text, mail.quoteAt)).toEqual({ text: 'Thanks, it works now.', reason: 'quote_structure' });
  });
});
