import { codedErrors } from '../coded-errors.ts';

/** Every error the SMS webhooks answer with, its HTTP status and the JSON shape. */
export const SMS_ERRORS = {
  BAD_SIGNATURE: { status: 403, message: 'X-Twilio-Signature is missing or does not match' },
  MISSING_MESSAGE_SID: { status: 400, message: 'MessageSid is required' },
  INVALID_MESSAGE_SID: { status: 400, message: 'MessageSid must be 1 to 64 letters and digits' },
  MISSING_FROM: { status: 400, message: 'From is required' },
  INVALID_MESSAGE_STATUS: { status: 400, message: 'MessageStatus is not a known Twilio status' },
  MISSING_MESSAGE_STATUS: { status: 400, message: 'MessageStatus is required' },
  INVALID_NUM_MEDIA: { status: 400, message: 'NumMedia must be a whole number from 0 to 10' },
  INVALID_ENCODING: { status: 400, message: 'the body is not valid UTF-8' },
  INVALID_FORM_BODY: { status: 400, message: 'the body is not a valid form' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the body is larger than this webhook accepts' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send application/x-www-form-urlencoded' },
  INGEST_FAILED: { status: 503, message: 'the message could not be stored; retry later' },
  INTERNAL: { status: 500, message: 'unexpected error' },
} as const;

export type SmsErrorCode = keyof typeof SMS_ERRORS;

const errors = codedErrors(SMS_ERRORS, 'INVALID_FORM_BODY');
export const smsErrorBody = errors.body;
export const smsErrorStatus = errors.status;
/** Maps an error Fastify raised before our handler ran (body limit, content type) to one of ours. */
export const smsErrorFromFramework = errors.fromFramework;
