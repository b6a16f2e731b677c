import { webhookErrorResponses } from '../webhook-responses.ts';
import { EMAIL_ERRORS } from './email.errors.ts';

/** Documentation only: the raw message is read by the webhook's own parser; no JSON body is involved. */
export const emailWebhookSchema = {
  summary: 'One inbound email, raw MIME',
  description:
    'Send the whole message as `Content-Type: message/rfc822` with `Authorization: Bearer EMAIL_WEBHOOK_TOKEN` (not an API token). ' +
    'A message already received (same Message-ID) answers `duplicate: true`; bounces, auto-replies and mail from bots answer `{ignored: true, reason}`.',
  tags: ['webhooks'],
  response: {
    202: {
      description: 'stored: {interactionId, duplicate}; or left alone: {ignored: true, reason}',
      type: 'object',
      properties: {
        interactionId: { type: 'string' },
        duplicate: { type: 'boolean' },
        ignored: { type: 'boolean' },
        reason: { type: 'string' },
      },
    },
    ...webhookErrorResponses(EMAIL_ERRORS),
  },
};
