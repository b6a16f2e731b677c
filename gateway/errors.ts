/** Every error code the gateway's own routes answer with, and its HTTP status. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  INVALID_JSON: 400,
  INVALID_UNICODE: 400,
  VALIDATION_FAILED: 400,
  INVALID_MESSAGE: 400,
  INVALID_CURSOR: 400,
  EMPTY_UPLOAD: 400,
  UPLOAD_NOT_FOUND: 400,
  CHANNEL_TEST_UNAVAILABLE: 400,
  UNAUTHORIZED: 401,
  INVALID_CREDENTIALS: 401,
  CSRF_TOKEN_INVALID: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CASE_NOT_FOUND: 404,
  QUEUE_NOT_FOUND: 404,
  AGENT_NOT_FOUND: 404,
  ACCOUNT_NOT_FOUND: 404,
  CONTACT_NOT_FOUND: 404,
  CALENDAR_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  RULE_NOT_FOUND: 404,
  SLA_POLICY_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  CANNED_RESPONSE_NOT_FOUND: 404,
  INVITATION_INVALID: 404,
  INVALID_RULES: 400,
  INVALID_CALENDAR: 400,
  INVALID_SLA_POLICY: 400,
  INVALID_QUEUE: 400,
  NOT_AN_AGENT: 403,
  NOT_ELIGIBLE: 403,
  RULE_EXISTS: 409,
  SAVED_VIEW_EXISTS: 409,
  VERSION_CONFLICT: 409,
  CASE_NOT_CLAIMABLE: 409,
  NOT_OFFERED: 409,
  CONFLICT: 409,
  CASE_CLOSED: 409,
  NO_CUSTOMER_CHANNEL: 409,
  NOT_FAILED: 409,
  AGENT_HAS_NO_EMAIL: 409,
  AGENT_INACTIVE: 409,
  CHANNEL_OFF: 409,
  RECIPIENT_OPTED_OUT: 409,
  PAYLOAD_TOO_LARGE: 413,
  TEXT_TOO_LONG: 413,
  UPLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  CHANNEL_SEND_FAILED: 502,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class GatewayError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** extra machine-readable facts, sent as `error.details` (e.g. every validation problem with its path) */
    readonly details?: unknown,
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details !== undefined ? { details } : {}) } };
}
