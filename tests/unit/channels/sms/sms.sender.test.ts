import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelPlugin, OutboundMessage } from '../../../../channels/channel.types.ts';
import { createSmsChannel, smsConfigFromEnv } from '../../../../channels/sms/index.ts';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../../support/fake-twilio-api.ts';
import { AUTH_TOKEN, PUBLIC_URL, recordingContext } from './sms-test-kit.ts';

const ACCOUNT = 'AC00000000000000000000000000000001';
const FROM = '+15017122661';

let api: FakeTwilioApi;
const channels: ChannelPlugin[] = [];

beforeAll(async () => {
  api = await startFakeTwilioApi({ authToken: AUTH_TOKEN });
});
afterAll(async () => {
  await api.close();
});
afterEach(async () => {
  api.reset();
  await Promise.all(channels.splice(0).map((c) => c.stop?.()));
});

function channel(env: Record<string, string> = {}): ChannelPlugin {
  const plugin = createSmsChannel(
    smsConfigFromEnv(
      {
        TWILIO_ACCOUNT_SID: ACCOUNT,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        TWILIO_FROM: FROM,
        TWILIO_API_URL: api.url,
        PUBLIC_URL,
        // fast by default; the rate test sets its own
        SMS_RATE_PER_SECOND: '1000',
        SMS_ACCOUNT_RATE_PER_SECOND: '1000',
        ...env,
      },
      PUBLIC_URL,
    ),
    recordingContext(),
  );
  channels.push(plugin);
  return plugin;
}

function outbound(text: string, to: OutboundMessage['to'] = { address: '+447700900123', phone: '+447700900123' }): OutboundMessage {
  return { interactionId: 'int-1', channel: 'sms', caseNumber: 'CS0001001', to, subject: '', text, references: [], attempt: 1 };
}

describe('SMS send against the fake Twilio API', () => {
  it('creates one message with our number and status callback and returns its sid', async () => {
    const result = await channel().send(outbound('Your refund is on its way.'));
    expect(api.sends).toHaveLength(1);
    const sent = api.sends[0]!;
    expect(result).toEqual({ status: 'queued', externalId: sent.sid });
    expect(sent.accountSid).toBe(ACCOUNT);
    expect(sent.params).toEqual({
      To: '+447700900123',
      From: FROM,
      Body: 'Your refund is on its way.',
      StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status?i=int-1`,
    });
    expect(sent.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT}:${AUTH_TOKEN}`).toString('base64')}`);
  });

  it('reports sent when Twilio says the message already left', async () => {
    const fast = await startFakeTwilioApi({ messageStatus: 'sent' });
    try {
      const result = await channel({ TWILIO_API_URL: fast.url }).send(outbound('hi'));
      expect(result.status).toBe('sent');
      expect(result.externalId).toMatch(/^SM[0-9a-f]{32}$/);
    } finally {
      await fast.close();
    }
  });

  it('keeps a path prefix of TWILIO_API_URL and uses the phone over the address', async () => {
    const res = await channel({ TWILIO_API_URL: `${api.url}/` }).send(outbound('x', { address: 'ignored', phone: '+44 7700 900124' }));
    expect(res.status).toBe('queued');
    expect(api.sends[0]?.params.To).toBe('+447700900124');
  });

  it.each([
    [21610, 'RECIPIENT_OPTED_OUT', 'Attempt to send to unsubscribed recipient'],
    [21211, 'INVALID_RECIPIENT', "The 'To' number is not a valid phone number."],
    [21614, 'RECIPIENT_NOT_MOBILE', "'To' number is not a valid mobile number"],
  ])('Twilio %i is a permanent failure (%s)', async (code, name, message) => {
    api.failNext(1, { status: 400, code, message });
    const error = await channel().send(outbound('hi')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SendError', retryable: false, code: name, message: `Twilio error ${code}: ${message}` });
  });

  it.each([
    [{ status: 429, code: 20429, message: 'Too Many Requests' }, 'RATE_LIMITED'],
    [{ status: 500, message: 'Internal Server Error' }, 'PROVIDER_UNAVAILABLE'],
    [{ status: 503, message: 'Service Unavailable' }, 'PROVIDER_UNAVAILABLE'],
  ])('%j is retryable', async (failure, name) => {
    api.failNext(1, failure);
    const plugin = channel();
    await expect(plugin.send(outbound('hi'))).rejects.toMatchObject({ retryable: true, code: name });
    // the failure was for the next request only
    await expect(plugin.send(outbound('hi'))).resolves.toMatchObject({ status: 'queued' });
  });

  it('a dropped connection is retryable', async () => {
    api.failNext(1, 'drop');
    await expect(channel().send(outbound('hi'))).rejects.toMatchObject({ retryable: true, code: 'NETWORK_ERROR' });
  });

  it('an unreachable API is retryable', async () => {
    const gone = await startFakeTwilioApi();
    await gone.close();
    await expect(channel({ TWILIO_API_URL: gone.url }).send(outbound('hi'))).rejects.toMatchObject({ retryable: true, code: 'NETWORK_ERROR' });
  });

  it('wrong credentials are a permanent failure', async () => {
    await expect(channel({ TWILIO_AUTH_TOKEN: 'wrong' }).send(outbound('hi'))).rejects.toMatchObject({
      retryable: false,
      code: 'AUTH_FAILED',
    });
  });

  it('refuses a body over 1600 characters without calling Twilio; 1600 is fine', async () => {
    const plugin = channel();
    await expect(plugin.send(outbound('a'.repeat(1601)))).rejects.toMatchObject({ retryable: false, code: 'BODY_TOO_LONG' });
    expect(api.requests).toHaveLength(0);
    await expect(plugin.send(outbound('😀'.repeat(1600)))).resolves.toMatchObject({ status: 'queued' });
    expect(api.sends[0]?.params.Body).toBe('😀'.repeat(1600));
  });

  it('refuses an empty body and a recipient that is not a phone number', async () => {
    const plugin = channel();
    await expect(plugin.send(outbound('   '))).rejects.toMatchObject({ retryable: false, code: 'EMPTY_BODY' });
    await expect(plugin.send(outbound('hi', { address: 'someone@example.com' }))).rejects.toMatchObject({
      retryable: false,
      code: 'INVALID_RECIPIENT',
    });
    expect(api.requests).toHaveLength(0);
  });

  // spacing is read from the arrival times the fake API records, not from how fast our code ran
  const gaps = () => api.sends.slice(1).map((r, i) => r.at - api.sends[i]!.at);

  it('paces sends from one number: N sends arrive at least N-1 intervals of 1/SMS_RATE_PER_SECOND apart', async () => {
    const plugin = channel({ SMS_RATE_PER_SECOND: '10' });
    const n = 5;
    await Promise.all(Array.from({ length: n }, (_, i) => plugin.send(outbound(`message ${i}`))));
    expect(api.sends).toHaveLength(n);
    // The limiter spaces the starts of sends; arrivals also carry the HTTP client's own latency (the first
    // opens the connection), so the span gets a little slack and single gaps only have to show pacing.
    expect(api.sends[n - 1]!.at - api.sends[0]!.at).toBeGreaterThanOrEqual((n - 1) * 100 - 25);
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(50);
  });

  it('the account limit paces sends too when it is the tighter one', async () => {
    const plugin = channel({ SMS_RATE_PER_SECOND: '1000', SMS_ACCOUNT_RATE_PER_SECOND: '8' });
    const n = 4;
    await Promise.all(Array.from({ length: n }, (_, i) => plugin.send(outbound(`message ${i}`))));
    expect(api.sends).toHaveLength(n);
    expect(api.sends[n - 1]!.at - api.sends[0]!.at).toBeGreaterThanOrEqual((n - 1) * 125 - 25);
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(60);
  });

  it('stop() fails waiting sends as retryable so the outbox keeps them', async () => {
    const plugin = createSmsChannel(
      smsConfigFromEnv({ TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_FROM: FROM, TWILIO_API_URL: api.url, SMS_RATE_PER_SECOND: '2' }, PUBLIC_URL),
      recordingContext(),
    );
    const sends = [plugin.send(outbound('one')), plugin.send(outbound('two')), plugin.send(outbound('three'))];
    await new Promise((resolve) => setTimeout(resolve, 50));
    await plugin.stop?.();
    const results = await Promise.allSettled(sends);
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results.slice(1)).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ retryable: true, code: 'CHANNEL_STOPPED' }) },
      { status: 'rejected', reason: expect.objectContaining({ retryable: true, code: 'CHANNEL_STOPPED' }) },
    ]);
  });
});

describe('an attempt after one whose outcome was never recorded', () => {
  it('finds the message the earlier attempt created and sends nothing', async () => {
    const queuedAt = new Date();
    const first = await channel().send(outbound('Your parcel left the depot.'));
    const again = await channel().send({ ...outbound('Your parcel left the depot.'), mayBeSentSince: queuedAt });
    expect(again).toEqual(first);
    expect(api.sends).toHaveLength(1);
    expect(api.lookups).toBe(1);
  });

  it('sends when the provider has no such message: another text, another number, or one older than the answer', async () => {
    await channel().send(outbound('Same words, other number', { address: '+447700900999', phone: '+447700900999' }));
    await channel().send(outbound('An older answer'));
    const later = new Date(Date.now() + 120_000);
    await channel().send({ ...outbound('Same words, other number'), mayBeSentSince: new Date() });
    await channel().send({ ...outbound('An older answer'), mayBeSentSince: later });
    await channel().send({ ...outbound('Never sent before'), mayBeSentSince: new Date() });
    expect(api.sends.map((s) => [s.params.To, s.params.Body])).toEqual([
      ['+447700900999', 'Same words, other number'],
      ['+447700900123', 'An older answer'],
      ['+447700900123', 'Same words, other number'],
      ['+447700900123', 'An older answer'],
      ['+447700900123', 'Never sent before'],
    ]);
  });

  it('passes over a message of the same text recorded on another answer, and sends this one', async () => {
    const queuedAt = new Date();
    const earlierAnswer = await channel().send(outbound('Thanks, on it.'));
    const recorded = new Set([earlierAnswer.externalId]);
    const again = await channel().send({ ...outbound('Thanks, on it.'), mayBeSentSince: queuedAt, recordedElsewhere: async (sid) => recorded.has(sid) });
    expect(again.externalId).not.toBe(earlierAnswer.externalId);
    expect(api.sends).toHaveLength(2);
    // a third attempt for the second answer finds its own message, not the first answer's
    recorded.clear();
    recorded.add(earlierAnswer.externalId!);
    const third = await channel().send({ ...outbound('Thanks, on it.'), mayBeSentSince: queuedAt, recordedElsewhere: async (sid) => recorded.has(sid) });
    expect(third).toEqual(again);
    expect(api.sends).toHaveLength(2);
  });

  it('matches the text as the provider may have re-encoded it (typographic quotes, dashes, line endings)', async () => {
    const queuedAt = new Date();
    const first = await channel().send(outbound(`It's on its way - tracking "AB12"...\nBye`));
    const again = await channel().send({ ...outbound(`It\u2019s on its way \u2013 tracking \u201CAB12\u201D\u2026\r\nBye`), mayBeSentSince: queuedAt });
    expect(again).toEqual(first);
    expect(api.sends).toHaveLength(1);
  });

  it('a lookup that fails is a retryable failure, with nothing sent', async () => {
    const gone = await startFakeTwilioApi();
    const url = gone.url;
    await gone.close();
    const err = await channel({ TWILIO_API_URL: url }).send({ ...outbound('Anyone there?'), mayBeSentSince: new Date() }).catch((e) => e);
    expect(err).toMatchObject({ retryable: true, code: 'LOOKUP_FAILED' });
  });
});
