import { webhookErrorResponses } from '../webhook-responses.ts';
import { SLACK_ERRORS } from './slack.errors.ts';

/** Documentation only: the body is kept raw for the signature check and parsed by the receiver. */
export const slackEventsSchema = {
  summary: 'Slack Events API, interactivity and slash commands',
  description:
    'JSON or form posts from Slack, signed with X-Slack-Signature and X-Slack-Request-Timestamp (SLACK_SIGNING_SECRET). ' +
    'Answers `url_verification` with its challenge. Not served in Socket Mode.',
  tags: ['webhooks'],
  response: {
    200: { description: 'acknowledged; for url_verification {challenge}, for a slash command or an interaction the text or JSON Slack shows' },
    ...webhookErrorResponses(SLACK_ERRORS),
  },
};
