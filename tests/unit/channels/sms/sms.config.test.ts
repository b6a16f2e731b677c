import { describe, expect, it } from 'vitest';
import { SendError } from '../../../../channels/channel.types.ts';
import { createSmsChannel, smsConfigFromEnv } from '../../../../channels/sms/index.ts';
import { captureLogs, recordingContext } from './sms-test-kit.ts';

const creds = { TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001', TWILIO_AUTH_TOKEN: 'tok', TWILIO_FROM: '+15017122661' };

describe('smsConfigFromEnv', () => {
  it('gives the documented defaults', () => {
    const config = smsConfigFromEnv({});
    expect(config).toMatchObject({
      publicUrl: 'http://127.0.0.1:3000',
      trustProxy: false,
      ratePerSecond: 1,
      accountRatePerSecond: 10,
      maxMedia: 10,
      bodyLimit: 65536,
      warnings: [],
    });
    expect(config.accountSid).toBeUndefined();
    expect(config.helpText).toMatch(/STOP/);
  });

  it('reads every variable', () => {
    const config = smsConfigFromEnv({
      ...creds,
      TWILIO_API_URL: 'http://127.0.0.1:9999',
      PUBLIC_URL: 'https://support.example.com/',
      TRUST_PROXY: 'TRUE',
      SMS_RATE_PER_SECOND: '2.5',
      SMS_ACCOUNT_RATE_PER_SECOND: '30',
      SMS_HELP_TEXT: ' Call 555-0100 ',
      SMS_MAX_MEDIA: '4',
    });
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
    const config = smsConfigFromEnv({
      PUBLIC_URL: 'support.example.com',
      TWILIO_API_URL: 'ftp://x',
      SMS_RATE_PER_SECOND: '0',
      SMS_ACCOUNT_RATE_PER_SECOND: 'fast',
      SMS_MAX_MEDIA: '50',
      TRUST_PROXY: 'yes',
    });
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.apiUrl).toBeUndefined();
    expect(config.ratePerSecond).toBe(1);
    expect(config.accountRatePerSecond).toBe(10);
    expect(config.maxMedia).toBe(10);
    expect(config.trustProxy).toBe(false);
    expect(config.warnings).toHaveLength(5);
  });

  it('a blank SMS_HELP_TEXT silences HELP answers', () => {
    expect(smsConfigFromEnv({ SMS_HELP_TEXT: '  ' }).helpText).toBe('');
  });
});

describe('createSmsChannel without credentials', () => {
  it.each([
    [{}, 'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM'],
    [{ ...creds, TWILIO_FROM: '' }, 'TWILIO_FROM'],
    [{ ...creds, TWILIO_AUTH_TOKEN: undefined }, 'TWILIO_AUTH_TOKEN'],
  ])('is off and names what is missing (%j)', async (env, missing) => {
    const channel = createSmsChannel(smsConfigFromEnv(env), recordingContext());
    expect(channel.name).toBe('sms');
    expect(channel.enabled).toBe(false);
    expect(channel.disabledReason).toBe(`SMS channel off: ${missing} not set`);
    expect(channel.routes).toBeUndefined();
    await expect(
      channel.send({ interactionId: 'i', channel: 'sms', caseNumber: 'CS1', to: { address: '+447700900123' }, subject: '', text: 'x', references: [], attempt: 1 }),
    ).rejects.toMatchObject({ retryable: false, code: 'CHANNEL_DISABLED' } satisfies Partial<SendError>);
  });

  it('is off when the account sid is not an account sid', () => {
    const channel = createSmsChannel(smsConfigFromEnv({ ...creds, TWILIO_ACCOUNT_SID: 'SK123' }), recordingContext());
    expect(channel.enabled).toBe(false);
    expect(channel.disabledReason).toMatch(/must start with AC/);
  });

  it('is on with credentials and logs config warnings once', async () => {
    const logs = captureLogs();
    const channel = createSmsChannel(smsConfigFromEnv({ ...creds, SMS_MAX_MEDIA: 'x' }), recordingContext(logs.logger));
    expect(channel.enabled).toBe(true);
    expect(channel.disabledReason).toBeUndefined();
    expect(logs.lines.filter((l) => String(l.msg).includes('SMS_MAX_MEDIA'))).toHaveLength(1);
    await channel.stop?.();
  });
});
