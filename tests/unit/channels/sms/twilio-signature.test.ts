import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyTwilioSignature } from '../../../../channels/sms/twilio-signature.ts';

interface Vector {
  name: string;
  url: string;
  params: Record<string, string | string[]>;
  raw_body?: string;
  signature: string;
  valid: boolean;
}

const corpus = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../fixtures/twilio-signatures/signature_vectors.json', import.meta.url)), 'utf8'),
) as { auth_token: string; cases: Vector[] };

describe('verifyTwilioSignature against the labelled vectors', () => {
  it('has all 16 vectors', () => {
    expect(corpus.cases).toHaveLength(16);
  });

  it.each(corpus.cases.map((c) => [c.name, c] as const))('%s', (_name, vector) => {
    const verdict = verifyTwilioSignature({
      authToken: corpus.auth_token,
      signature: vector.signature,
      url: vector.url,
      params: vector.params,
      rawBody: vector.raw_body,
    });
    expect(verdict.valid).toBe(vector.valid);
  });
});

describe('verifyTwilioSignature rejects what was not signed', () => {
  const base = corpus.cases.find((c) => c.name === 'default_params')!;
  const check = (overrides: Partial<Parameters<typeof verifyTwilioSignature>[0]>) =>
    verifyTwilioSignature({ authToken: corpus.auth_token, signature: base.signature, url: base.url, params: base.params, ...overrides });

  it('accepts the untouched request (control)', () => {
    expect(check({}).valid).toBe(true);
  });

  it('rejects a changed parameter value', () => {
    expect(check({ params: { ...base.params, Digits: '9999' } }).valid).toBe(false);
  });

  it('rejects an added parameter', () => {
    expect(check({ params: { ...base.params, Body: 'injected' } }).valid).toBe(false);
  });

  it('rejects another URL path or query', () => {
    expect(check({ url: 'https://mycompany.com/other.php?foo=1&bar=2' }).valid).toBe(false);
    expect(check({ url: 'https://mycompany.com/myapp.php?foo=1&bar=3' }).valid).toBe(false);
  });

  it('rejects another auth token', () => {
    expect(check({ authToken: '54321' }).valid).toBe(false);
  });

  it('rejects a missing or blank header with a reason', () => {
    expect(check({ signature: undefined })).toEqual({ valid: false, reason: 'no X-Twilio-Signature header' });
    expect(check({ signature: '   ' }).valid).toBe(false);
  });

  it('rejects an unparseable URL without throwing', () => {
    const verdict = check({ url: 'not a url', signature: 'AAAA' });
    expect(verdict.valid).toBe(false);
  });

  it('rejects a JSON body that differs from its bodySHA256', () => {
    const json = corpus.cases.find((c) => c.name === 'json_body_with_bodySHA256')!;
    const verdict = verifyTwilioSignature({
      authToken: corpus.auth_token,
      signature: json.signature,
      url: json.url,
      params: {},
      rawBody: '{"property": "other", "boolean": true}',
    });
    expect(verdict.valid).toBe(false);
  });
});
