import { describe, expect, it } from 'vitest';
import { parseClientFrame } from '../../../../channels/chat/chat-protocol.ts';
import { TokenBucket } from '../../../../channels/chat/token-bucket.ts';

describe('parseClientFrame', () => {
  it('accepts messages, typing and ping', () => {
    expect(parseClientFrame('{"type":"message","text":"hi","id":"a-1"}', 100)).toEqual({ ok: true, frame: { type: 'message', text: 'hi', id: 'a-1' } });
    expect(parseClientFrame('{"type":"typing"}', 100)).toEqual({ ok: true, frame: { type: 'typing' } });
    expect(parseClientFrame('{"type":"ping"}', 100)).toEqual({ ok: true, frame: { type: 'ping' } });
  });
  it.each([
    ['not json', 'INVALID_JSON'],
    ['[]', 'INVALID_MESSAGE'],
    ['null', 'INVALID_MESSAGE'],
    ['"text"', 'INVALID_MESSAGE'],
    ['{"type":"message"}', 'INVALID_MESSAGE'],
    ['{"type":"message","text":"  "}', 'INVALID_MESSAGE'],
    ['{"type":"message","text":5}', 'INVALID_MESSAGE'],
    ['{"type":"message","text":"hi","id":"has space"}', 'INVALID_MESSAGE'],
    ['{"type":"message","text":"hi","id":7}', 'INVALID_MESSAGE'],
    ['{"type":"shout"}', 'UNKNOWN_TYPE'],
    ['{"text":"no type"}', 'UNKNOWN_TYPE'],
  ])('%s → %s', (raw, code) => {
    const r = parseClientFrame(raw, 100);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });
  it('measures the limit in UTF-8 bytes', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'message', text: 'é'.repeat(50) }), 100).ok).toBe(true);
    const r = parseClientFrame(JSON.stringify({ type: 'message', text: 'é'.repeat(51) }), 100);
    expect(r.ok ? null : r.error.code).toBe('TEXT_TOO_LONG');
  });
});

describe('TokenBucket', () => {
  it('allows the burst, then the rate', () => {
    let t = 0;
    const b = new TokenBucket(2, 3, () => t);
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
    t = 499;
    expect(b.take()).toBe(false);
    t = 500;
    expect(b.take()).toBe(true);
    t = 60_000;
    expect([b.take(), b.take(), b.take(), b.take()]).toEqual([true, true, true, false]);
  });
});
