import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../../../channels/slack/slack-signature.ts';

const vectors = JSON.parse(readFileSync(new URL('../../../fixtures/slack-events/signature_vectors.json', import.meta.url), 'utf8')) as {
  signing_secret: string;
  cases: Array<{ name: string; timestamp: string; now: number; body: string; signature: string; valid: boolean }>;
};

describe('verifySlackSignature on the published vectors', () => {
  for (const c of vectors.cases) {
    it(`${c.name} → ${c.valid ? 'valid' : 'refused'}`, () => {
      const v = verifySlackSignature({ signingSecret: vectors.signing_secret, rawBody: c.body, signature: c.signature, timestamp: c.timestamp, nowMs: c.now * 1000 });
      expect(v.valid).toBe(c.valid);
    });
  }

  it('names a stale timestamp as such, and a tampered body as a bad signature', () => {
    const byName = Object.fromEntries(vectors.cases.map((c) => [c.name, c]));
    const stale = byName.stale_timestamp_replay!;
    const tampered = byName.body_tampered!;
    const check = (c: typeof stale) => verifySlackSignature({ signingSecret: vectors.signing_secret, rawBody: c.body, signature: c.signature, timestamp: c.timestamp, nowMs: c.now * 1000 });
    expect(check(stale)).toMatchObject({ valid: false, code: 'STALE_TIMESTAMP' });
    expect(check(tampered)).toMatchObject({ valid: false, code: 'BAD_SIGNATURE' });
  });
});

describe('verifySlackSignature edges', () => {
  const valid = vectors.cases.find((c) => c.name === 'valid')!;
  const base = { signingSecret: vectors.signing_secret, rawBody: valid.body, signature: valid.signature, timestamp: valid.timestamp };
  const at = (offsetSeconds: number) => (Number(valid.timestamp) + offsetSeconds) * 1000;

  it('accepts up to five minutes either way and refuses beyond', () => {
    expect(verifySlackSignature({ ...base, nowMs: at(300) }).valid).toBe(true);
    expect(verifySlackSignature({ ...base, nowMs: at(-300) }).valid).toBe(true);
    expect(verifySlackSignature({ ...base, nowMs: at(301) })).toMatchObject({ valid: false, code: 'STALE_TIMESTAMP' });
    // a timestamp from the future is a replay prepared in advance
    expect(verifySlackSignature({ ...base, nowMs: at(-301) })).toMatchObject({ valid: false, code: 'STALE_TIMESTAMP' });
  });

  it('refuses missing or malformed headers without throwing', () => {
    const now = at(0);
    expect(verifySlackSignature({ ...base, timestamp: undefined, nowMs: now })).toMatchObject({ valid: false, code: 'STALE_TIMESTAMP' });
    expect(verifySlackSignature({ ...base, timestamp: '12ab', nowMs: now })).toMatchObject({ valid: false, code: 'STALE_TIMESTAMP' });
    expect(verifySlackSignature({ ...base, signature: undefined, nowMs: now })).toMatchObject({ valid: false, code: 'BAD_SIGNATURE' });
    expect(verifySlackSignature({ ...base, signature: 'v1=abc', nowMs: now })).toMatchObject({ valid: false, code: 'BAD_SIGNATURE' });
    expect(verifySlackSignature({ ...base, signature: valid.signature.toUpperCase(), nowMs: now })).toMatchObject({ valid: false });
    expect(verifySlackSignature({ ...base, signingSecret: 'another-secret', nowMs: now })).toMatchObject({ valid: false, code: 'BAD_SIGNATURE' });
  });
});
