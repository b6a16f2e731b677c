import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, firstLines, quote, slackToPlain, truncate } from '../../../../channels/slack/slack-text.ts';

describe('escapeMrkdwn', () => {
  it('turns markup into literal text: no pings, mentions or disguised links', () => {
    expect(escapeMrkdwn('<!channel> hi <@U123> <https://evil.test|bank> & more')).toBe('&lt;!channel&gt; hi &lt;@U123&gt; &lt;https://evil.test|bank&gt; &amp; more');
  });
  it('is undone by slackToPlain', () => {
    const text = 'a < b && c > d <!here>';
    expect(slackToPlain(escapeMrkdwn(text))).toBe(text);
  });
});

describe('slackToPlain', () => {
  it('reads Slack entities as a person would', () => {
    expect(slackToPlain('Hi <@U123|ann>, see <https://x.test/a|the guide> or <https://x.test/b>; mail <mailto:a@b.test|a@b.test> in <#C1|general>')).toBe(
      'Hi @ann, see the guide (https://x.test/a) or https://x.test/b; mail a@b.test in #general',
    );
    expect(slackToPlain('<!here> <!subteam^S1|@support> <!date^1392734382^{date}|Feb 18, 2014>')).toBe('@here @support Feb 18, 2014');
    expect(slackToPlain('<@U999>', (id) => (id === 'U999' ? 'bob' : undefined))).toBe('@bob');
    expect(slackToPlain('<@U999>')).toBe('@someone');
    expect(slackToPlain('5 &lt; 6 &amp;&amp; 7 &gt; 6')).toBe('5 < 6 && 7 > 6');
  });
  it('does not double-unescape', () => {
    expect(slackToPlain('&amp;lt;')).toBe('&lt;');
  });
});

describe('truncate, firstLines, quote', () => {
  it('cuts long text near a word end and marks it', () => {
    const t = truncate('word '.repeat(100), 50);
    expect(t.length).toBeLessThanOrEqual(50);
    expect(t.endsWith('…')).toBe(true);
    expect(truncate('short', 50)).toBe('short');
  });
  it('keeps the first non-empty lines', () => {
    expect(firstLines('\n\n a \n\n b\nc\nd', 2)).toBe('a\nb');
  });
  it('quotes every line', () => {
    expect(quote('a\nb')).toBe('>a\n>b');
  });
});
