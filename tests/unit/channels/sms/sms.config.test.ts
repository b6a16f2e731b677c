import { describe, expect, it } from 'vitest';
import { SendError } from '../../../../channels/channel.types.ts';
import { createSmsChannel, smsConfigFromEnv } from '../../../../channels/sms/index.ts';
import { captureLogs, recordingContext } from './sms-test-kit.ts';

const creds = { TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15017122661' };

const LISTEN = 'http://127.0.0.1:3000';

describe('smsConfigFromEnv', () => {
  it('gives the documented defaults', () => {
    const config = smsConfigFromEnv({}, LISTEN);
    expect(config).toMatchObject({
      publicUrl: LISTEN,
      trustProxy: false,
      ratePerSecond: 1,
      accountRatePerSecond: 10,
      maxMedia: 10,
      bodyLimit: 65536,
    });
    expect(config.accountSid).toBeUndefined();
    expect(config.helpText).toMatch(/STOP/);
    // without PUBLIC_URL the listen address stands in, which Twilio usually cannot reach: said once
    expect(config.warnings).toEqual([`PUBLIC_URL is not set: Twilio must post to ${LISTEN}, and signatures are checked against it`]);
  });

  it('reads every variable', () => {
    const config = smsConfigFromEnv(
      {
        ...creds,
        TWILIO_FROM: '+1 (501) 712-2661',
        TWILIO_API_URL: 'http://127.0.0.1:9999',
        PUBLIC_URL: 'https://support.example.com/',
        TRUST_PROXY: 'TRUE',
        SMS_RATE_PER_SECOND: '2.5',
        SMS_ACCOUNT_RATE_PER_SECOND: '30',
        SMS_HELP_TEXT: ' Call 555-0100 ',
        SMS_MAX_MEDIA: '4',
      },
      'https://support.example.com/',
    );
    expect(config).toMatchObject({
      accountSid: creds.TWILIO_ACCOUNT_SID,
      authToken: 'tok',
      from: '+15017122661',
      apiUrl: 'http://127.0.0.1:9999',
      publicUrl: 'https://support.example.com',
      trustProxy: true,
      ratePerSecond: 2.5,
      accountRatePerSecond: 30,
      helpText: 'Call 555-0100',
      maxMedia: 4,
      warnings: [],
    });
  });

  it('falls back from unusable values and says why', () => {
    const config = smsConfigFromEnv(
      {
        PUBLIC_URL: 'https://support.example.com',
        TWILIO_API_URL: 'ftp://x',
        SMS_RATE_PER_SECOND: '0',
        SMS_ACCOUNT_RATE_PER_SECOND: 'fast',
        SMS_MAX_MEDIA: '50',
        TRUST_PROXY: 'yes',
      },
      'https://support.example.com',
    );
    expect(config.apiUrl).toBeUndefined();
    expect(config.ratePerSecond).toBe(1);
    expect(config.accountRatePerSecond).toBe(10);
    expect(config.maxMedia).toBe(10);
    expect(config.trustProxy).toBe(false);
    expect(config.warnings).toHaveLength(4);
    for (const name of ['TWILIO_API_URL=', 'SMS_RATE_PER_SECOND=', 'SMS_ACCOUNT_RATE_PER_SECOND=', 'SMS_MAX_MEDIA=']) {
      expect(config.warnings.filter((w) => w.startsWith(name))).toHaveLength(1);
    }
  });

  it('a blank SMS_HELP_TEXT silences HELP answers', () => {
    expect(smsConfigFromEnv({ SMS_HELP_TEXT: '  ' }, LISTEN).helpText).toBe('');
  });
});

describe('createSmsChannel without usable credentials', () => {
  const sendOne = (channel: ReturnType<typeof createSmsChannel>) =>
    channel.send({ interactionId: 'i', channel: 'sms', caseNumber: 'CS1', to: { address: '+447700900123' }, subject: '', text: 'x', references: [], attempt: 1 });

  it.each([
    [{}, 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM not set'],
    [{ ...creds, TWILIO_FROM: '' }, 'TWILIO_FROM not set'],
    [{ ...creds, TWILIO_AUTH_TOKEN: undefined }, 'TWILIO_AUTH_TOKEN not set'],
    [{ ...creds, TWILIO_ACCOUNT_SID: 'SK123' }, 'TWILIO_ACCOUNT_SID must start with AC'],
    [{ ...creds, TWILIO_FROM: 'Acme' }, 'TWILIO_FROM must be a number in E.164 form (+15017122661) or a short code, got "Acme"'],
  ])('is off with a plain reason (%j)', async (env, reason) => {
    const logs = captureLogs();
    const channel = createSmsChannel(smsConfigFromEnv({ ...env, SMS_MAX_MEDIA: 'x' }, LISTEN), recordingContext(logs.logger));
    expect(channel.name).toBe('sms');
    expect(channel.enabled).toBe(false);
    // the gateway prints "sms channel is off: <reason>", so the reason never repeats that
    expect(channel.disabledReason).toBe(reason);
    // its webhooks exist only to answer 503 naming the missing settings
    expect(channel.routes).toBeTypeOf('function');
    // an off channel has no settings worth warning about
    expect(logs.lines).toHaveLength(0);
    await expect(sendOne(channel)).rejects.toMatchObject({ retryable: false, code: 'CHANNEL_DISABLED' } satisfies Partial<SendError>);
  });

  it('is off when the public URL is not one Twilio could post to', () => {
    const channel = createSmsChannel(smsConfigFromEnv({ ...creds, PUBLIC_URL: 'support.example.com' }, 'support.example.com'), recordingContext());
    expect(channel.enabled).toBe(false);
    expect(channel.disabledReason).toBe('PUBLIC_URL must be an http(s) URL for Twilio to post to, got "support.example.com"');
  });

  it('is on with credentials and logs config warnings once', async () => {
    const logs = captureLogs();
    const channel = createSmsChannel(smsConfigFromEnv({ ...creds, PUBLIC_URL: LISTEN, SMS_MAX_MEDIA: 'x' }, LISTEN), recordingContext(logs.logger));
    expect(channel.enabled).toBe(true);
    expect(channel.disabledReason).toBeUndefined();
    expect(logs.lines.map((l) => l.msg)).toEqual(['SMS_MAX_MEDIA="x" is not a number in (0, 10]; using 10']);
    await channel.stop?.();
  });
});
