import { describe, expect, it } from 'vitest';
import { emptyTwiml, escapeXml, messageTwiml } from '../../../../channels/sms/twiml-response.ts';

describe('TwiML answers', () => {
  it('empty response', () => {
    expect(emptyTwiml()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  it('wraps the help text in one Message, escaped', () => {
    expect(messageTwiml('Tom & Jerry <support@example.com> "24/7" it\'s')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Tom &amp; Jerry &lt;support@example.com&gt; &quot;24/7&quot; it&apos;s</Message></Response>',
    );
  });

  it('cannot be broken out of by markup in the text', () => {
    const xml = messageTwiml('</Message><Redirect>https://evil.example</Redirect><Message>');
    expect(xml).not.toContain('<Redirect>');
    expect(xml.match(/<Message>/g)).toHaveLength(1);
  });

  it('drops control characters XML cannot carry, keeps newlines', () => {
    expect(escapeXml('a\u0000b\u0007c\nd\te')).toBe('abc\nd\te');
  });

  it('an empty help text answers nothing', () => {
    expect(messageTwiml('')).toBe(emptyTwiml());
  });
});
