import { describe, expect, it } from 'vitest';
import { signedWebhookUrl } from '../../../../channels/sms/webhook-url.ts';

describe('signedWebhookUrl', () => {
  const base = { publicUrl: 'https://support.example.com', trustProxy: false, headers: {}, rawUrl: '/webhooks/twilio/sms' };

  it('joins PUBLIC_URL and the path as received', () => {
    expect(signedWebhookUrl(base).url).toBe('https://support.example.com/webhooks/twilio/sms');
  });

  it('keeps the query string exactly as received', () => {
    const rawUrl = "/webhooks/twilio/sms?tenant=a%20b&x=It's";
    expect(signedWebhookUrl({ ...base, rawUrl }).url).toBe(`https://support.example.com${rawUrl}`);
  });

  it('keeps a path prefix of PUBLIC_URL', () => {
    expect(signedWebhookUrl({ ...base, publicUrl: 'https://example.com/switchboard' }).url).toBe(
      'https://example.com/switchboard/webhooks/twilio/sms',
    );
  });

  it('ignores proxy headers unless trusted', () => {
    const headers = { 'x-forwarded-proto': 'http', 'x-forwarded-host': 'evil.example' };
    expect(signedWebhookUrl({ ...base, headers }).url).toBe('https://support.example.com/webhooks/twilio/sms');
  });

  it('uses the first proxy proto and host when trusted', () => {
    const headers = { 'x-forwarded-proto': 'http, https', 'x-forwarded-host': 'edge.example.net:8443, inner' };
    const result = signedWebhookUrl({ ...base, trustProxy: true, headers });
    expect(result.url).toBe('http://edge.example.net:8443/webhooks/twilio/sms');
    expect(result.reason).toMatch(/proxy/);
  });

  it('falls back to PUBLIC_URL for unusable proxy headers', () => {
    const headers = { 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'a/b@c' };
    expect(signedWebhookUrl({ ...base, trustProxy: true, headers }).url).toBe('https://support.example.com/webhooks/twilio/sms');
  });

  it('mixes a good proxy host with the PUBLIC_URL scheme', () => {
    const headers = { 'x-forwarded-host': 'edge.example.net' };
    expect(signedWebhookUrl({ ...base, trustProxy: true, headers }).url).toBe('https://edge.example.net/webhooks/twilio/sms');
  });
});
