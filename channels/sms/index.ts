/** The SMS (Twilio) channel's public face; nothing else in channels/sms/ is meant for outside use. */
export { smsConfigFromEnv, type SmsConfig } from './sms.config.ts';
export { createSmsChannel, type SmsChannelOptions } from './sms.adapter.ts';
