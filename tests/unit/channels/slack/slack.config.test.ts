import { describe, expect, it } from 'vitest';
import { slackConfigFromEnv, slackDisabledReason } from '../../../../channels/slack/slack.config.ts';

describe('slackConfigFromEnv', () => {
  it('is off without a bot token, or without a signing secret outside Socket Mode', () => {
    expect(slackDisabledReason(slackConfigFromEnv({}))).toMatch(/SLACK_BOT_TOKEN/);
    expect(slackDisabledReason(slackConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1' }))).toMatch(/SLACK_SIGNING_SECRET/);
    expect(slackDisabledReason(slackConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }))).toBeNull();
    expect(slackDisabledReason(slackConfigFromEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }))).toBeNull();
  });

  it('reads the API URL, default channel and customer channels', () => {
    const c = slackConfigFromEnv({ SLACK_API_URL: 'http://127.0.0.1:9999/api', SLACK_DEFAULT_CHANNEL: ' C1 ', SLACK_CUSTOMER_CHANNELS: 'C2, C3,,' });
    expect(c.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.defaultChannel).toBe('C1');
    expect(c.customerChannels).toEqual(['C2', 'C3']);
    expect(c.warnings).toEqual([]);
  });

  it('falls back with a warning on unusable values', () => {
    const c = slackConfigFromEnv({ SLACK_API_URL: 'ftp://x', SLACK_ACK_DEADLINE_MS: '5000', SLACK_BODY_LIMIT: '-1' });
    expect(c.apiUrl).toBeUndefined();
    expect(c.ackDeadlineMs).toBe(2000);
    expect(c.bodyLimit).toBe(256 * 1024);
    expect(c.warnings).toHaveLength(3);
  });
});
