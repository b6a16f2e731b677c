/** Every error /slack/events answers with, its HTTP status and the JSON shape. */
export const SLACK_ERRORS = {
  BAD_SIGNATURE: { status: 401, message: 'X-Slack-Signature is missing or does not match' },
  STALE_TIMESTAMP: { status: 401, message: 'X-Slack-Request-Timestamp is missing or more than 5 minutes from now' },
  INVALID_BODY: { status: 400, message: 'the body is not a Slack event, interaction or command' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'the body is larger than this endpoint accepts' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'send application/json or application/x-www-form-urlencoded' },
  INGEST_FAILED: { status: 503, message: 'the message could not be stored; retry later' },
  INTERNAL: { status: 500, message: 'unexpected error' },
} as const;

export type SlackErrorCode = keyof typeof SLACK_ERRORS;

export function slackErrorBody(code: SlackErrorCode, detail?: string): { error: { code: SlackErrorCode; message: string } } {
  const base = SLACK_ERRORS[code].message;
  return { error: { code, message: detail ? `${base}: ${detail}` : base } };
}

export function slackErrorStatus(code: SlackErrorCode): number {
  return SLACK_ERRORS[code].status;
}

/** Maps a Fastify error (body limit, content type) raised before our handler ran to one of ours. */
export function slackErrorFromFramework(err: { statusCode?: number; code?: string }): SlackErrorCode {
  if (err.statusCode === 413 || err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return 'PAYLOAD_TOO_LARGE';
  if (err.statusCode === 415 || err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return 'UNSUPPORTED_MEDIA_TYPE';
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return 'INVALID_BODY';
  return 'INTERNAL';
}
