import type { ChannelSetup } from '../channel.types.ts';
import type { SlackConfig } from './slack.config.ts';
import { SLACK_EVENTS_PATH } from './slack-receiver.ts';

/** How the Slack channel is set up, for the admin's channel page. */
export function slackSetup(config: SlackConfig, publicUrl: string): ChannelSetup {
  const missing = [config.botToken ? null : 'SLACK_BOT_TOKEN', config.signingSecret || config.appToken ? null : 'SLACK_SIGNING_SECRET or SLACK_APP_TOKEN'].filter((m): m is string => m !== null);
  const url = `${publicUrl}${SLACK_EVENTS_PATH}`;
  return {
    missing,
    // Socket Mode needs no public URL at all
    webhooks: config.appToken
      ? []
      : [
          { label: 'Event Subscriptions → Request URL', url },
          { label: 'Interactivity & Shortcuts → Request URL', url },
          { label: 'Slash command /case → Request URL', url },
        ],
    addresses: [...(config.defaultChannel ? [config.defaultChannel] : []), ...config.customerChannels],
    notes: [config.appToken ? 'Connected through Socket Mode (SLACK_APP_TOKEN): no public URL needed.' : 'Slack posts to this gateway over HTTP, signed with SLACK_SIGNING_SECRET.'],
    test: { what: 'a Slack channel id (C0123ABCD)', pattern: /^[CDG][A-Z0-9]{2,20}$/u, address: (to) => ({ to: { address: to }, kind: 'message', replyContext: { slackChannel: to } }) },
  };
}
