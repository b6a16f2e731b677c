/** Every error the email channel answers with, in one place: HTTP status, JSON code, SMTP reply. */

export const EMAIL_ERRORS = {
  WEBHOOK_NOT_CONFIGURED: { status: 503, code: 'EMAIL_WEBHOOK_NOT_CONFIGURED', message: 'EMAIL_WEBHOOK_TOKEN is not set; the email webhook is off' },
  UNAUTHORIZED: { status: 401, code: 'UNAUTHORIZED', message: 'missing or wrong bearer token' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the raw message as Content-Type: message/rfc822' },
  MESSAGE_TOO_LARGE: { status: 413, code: 'MESSAGE_TOO_LARGE', message: 'the message exceeds the size limit' },
  EMPTY_MESSAGE: { status: 400, code: 'EMPTY_MESSAGE', message: 'the message is empty' },
  TOO_MANY_PARTS: { status: 422, code: 'TOO_MANY_PARTS', message: 'the message has too many MIME parts' },
  UNPARSEABLE_MESSAGE: { status: 422, code: 'UNPARSEABLE_MESSAGE', message: 'the message could not be parsed' },
  PARSE_TIMEOUT: { status: 422, code: 'PARSE_TIMEOUT', message: 'parsing the message took too long' },
  MESSAGE_REFUSED: { status: 422, code: 'MESSAGE_REFUSED', message: 'the message was refused' },
  INGEST_FAILED: { status: 503, code: 'INGEST_FAILED', message: 'the message could not be stored; retry later' },
  INTERNAL: { status: 500, code: 'INTERNAL_ERROR', message: 'unexpected error' },
} as const;

export type EmailErrorKey = keyof typeof EMAIL_ERRORS;

/** SMTP replies, so the listener and the tests agree on the numbers */
export const SMTP_REPLIES = {
  UNKNOWN_RECIPIENT: { code: 550, message: '5.1.1 No such mailbox here' },
  TOO_LARGE: { code: 552, message: '5.3.4 Message too large' },
  REJECTED: { code: 554, message: '5.6.0 Message rejected' },
  TEMPORARY: { code: 451, message: '4.3.0 Temporary failure, try again later' },
  TOO_MANY_CONNECTIONS: { code: 421, message: '4.7.0 Too many connections from your address, try again later' },
  CONNECTION_TIME_LIMIT: { code: 421, message: '4.4.2 Connection time limit reached, closing' },
} as const;

/** A refusal of one inbound message, mapped to HTTP or SMTP by whoever received it. */
export class EmailInboundError extends Error {
  constructor(
    readonly key: EmailErrorKey,
    detail?: string,
  ) {
    super(detail ? `${EMAIL_ERRORS[key].message}: ${detail}` : EMAIL_ERRORS[key].message);
    this.name = 'EmailInboundError';
  }

  get status(): number {
    return EMAIL_ERRORS[this.key].status;
  }

  get code(): string {
    return EMAIL_ERRORS[this.key].code;
  }

  /** permanent refusals get 5xx over SMTP, a failed store gets 4xx so the sender retries */
  get smtpCode(): number {
    if (this.key === 'INGEST_FAILED') return SMTP_REPLIES.TEMPORARY.code;
    if (this.key === 'MESSAGE_TOO_LARGE') return SMTP_REPLIES.TOO_LARGE.code;
    return SMTP_REPLIES.REJECTED.code;
  }
}

export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
