/** The Slack channel's public face; nothing else in channels/slack/ is meant for outside use. */
export { slackConfigFromEnv, type SlackConfig } from './slack.config.ts';
export { createSlackChannel, type SlackChannel, type SlackChannelOptions } from './slack.adapter.ts';
export { SLACK_EVENTS_PATH } from './slack-receiver.ts';
