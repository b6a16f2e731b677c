import { codedErrors } from '../coded-errors.ts';

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

const errors = codedErrors(SLACK_ERRORS, 'INVALID_BODY');
export const slackErrorBody = errors.body;
export const slackErrorStatus = errors.status;
/** Maps an error Fastify raised before our handler ran (body limit, content type) to one of ours. */
export const slackErrorFromFramework = errors.fromFramework;
