import { describe, expect, it } from 'vitest';
import { SendError } from '../../../../channels/channel.types.ts';
import { classifySendFailure } from '../../../../channels/sms/send-error-classifier.ts';

const rest = (status: number, code?: number, message = 'boom') => Object.assign(new Error(message), { status, code });

describe('classifySendFailure', () => {
  it.each([
    [21211, 'INVALID_RECIPIENT'],
    [21610, 'RECIPIENT_OPTED_OUT'],
    [21614, 'RECIPIENT_NOT_MOBILE'],
    [21408, 'RECIPIENT_REGION_NOT_ENABLED'],
    [21612, 'RECIPIENT_UNREACHABLE'],
    [21606, 'INVALID_SENDER'],
    [21617, 'BODY_TOO_LONG'],
  ])('Twilio %i is permanent (%s)', (code, name) => {
    const err = classifySendFailure(rest(400, code, 'nope'));
    expect(err).toBeInstanceOf(SendError);
    expect(err.retryable).toBe(false);
    expect(err.code).toBe(name);
    expect(err.message).toBe(`Twilio error ${code}: nope`);
  });

  it('an unlisted 4xx is permanent', () => {
    expect(classifySendFailure(rest(400, 21999))).toMatchObject({ retryable: false, code: 'PROVIDER_REJECTED' });
    expect(classifySendFailure(rest(401, 20003))).toMatchObject({ retryable: false, code: 'AUTH_FAILED' });
  });

  it('429, 20429 and 5xx are retryable', () => {
    expect(classifySendFailure(rest(429, 20429))).toMatchObject({ retryable: true, code: 'RATE_LIMITED' });
    expect(classifySendFailure(rest(429))).toMatchObject({ retryable: true, code: 'RATE_LIMITED' });
    expect(classifySendFailure(rest(500))).toMatchObject({ retryable: true, code: 'PROVIDER_UNAVAILABLE' });
    expect(classifySendFailure(rest(503, 20503))).toMatchObject({ retryable: true });
  });

  it('network failures are retryable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifySendFailure(refused)).toMatchObject({ retryable: true, code: 'NETWORK_ERROR' });
    expect(classifySendFailure('weird')).toMatchObject({ retryable: true, code: 'NETWORK_ERROR' });
  });

  it('an unreadable answer is not retried: the message may already exist', () => {
    let parseError: unknown;
    try {
      JSON.parse('<html>ok</html>');
    } catch (err) {
      parseError = err;
    }
    expect(classifySendFailure(parseError)).toMatchObject({ retryable: false, code: 'PROVIDER_UNREADABLE' });
  });

  it('passes a SendError through untouched', () => {
    const original = new SendError('x', false, 'Y');
    expect(classifySendFailure(original)).toBe(original);
  });
});
