import { describe, expect, it } from 'vitest';
import { parseFormBody } from '../../../../channels/sms/form-body.ts';
import { parseStatusCallback } from '../../../../channels/sms/status-callback.ts';
import { readForm } from './sms-test-kit.ts';

const parse = (body: string) => parseStatusCallback(parseFormBody(Buffer.from(body)).fields);
const sid = 'SMd41b6e2c93a84f7e9b0c1d2e3f4a5b6c';

describe('parseStatusCallback', () => {
  it.each([
    ['accepted', 'queued'],
    ['scheduled', 'queued'],
    ['queued', 'queued'],
    ['sending', 'queued'],
    ['sent', 'sent'],
    ['delivered', 'delivered'],
    ['read', 'read'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['canceled', 'failed'],
    ['DELIVERED', 'delivered'],
  ])('maps %s to %s', (twilioStatus, status) => {
    const result = parse(`MessageSid=${sid}&MessageStatus=${twilioStatus}`);
    expect(result).toMatchObject({ ok: true, update: { channel: 'sms', externalId: sid, status } });
  });

  it('reads the delivered fixture', () => {
    expect(parse(readForm('status-delivered.form'))).toMatchObject({
      ok: true,
      update: { channel: 'sms', externalId: sid, status: 'delivered' },
    });
  });

  it('carries ErrorCode and ErrorMessage', () => {
    const result = parse(readForm('status-undelivered.form'));
    expect(result.ok && result.update).toEqual({
      channel: 'sms',
      externalId: sid,
      status: 'undelivered',
      error: 'Twilio error 30006: Landline or unreachable carrier',
    });
  });

  it('carries an ErrorCode alone', () => {
    const result = parse(`MessageSid=${sid}&MessageStatus=failed&ErrorCode=21610`);
    expect(result.ok && result.update?.error).toBe('Twilio error 21610');
  });

  it('has nothing to record for an inbound message status', () => {
    const result = parse(`MessageSid=${sid}&MessageStatus=received`);
    expect(result.ok).toBe(true);
    expect(result.ok && result.update).toBeUndefined();
  });

  it('rejects an unknown status, a missing status and a missing sid', () => {
    expect(parse(`MessageSid=${sid}&MessageStatus=huh`)).toMatchObject({ ok: false, code: 'INVALID_MESSAGE_STATUS' });
    expect(parse(`MessageSid=${sid}`)).toMatchObject({ ok: false, code: 'MISSING_MESSAGE_STATUS' });
    expect(parse('MessageStatus=delivered')).toMatchObject({ ok: false, code: 'MISSING_MESSAGE_SID' });
    expect(parse('MessageSid=a%20b&MessageStatus=delivered')).toMatchObject({ ok: false, code: 'INVALID_MESSAGE_SID' });
  });
});
