import type { ChannelSetup } from '../channel.types.ts';
import type { SmsConfig } from './sms.config.ts';
import { INBOUND_PATH, STATUS_PATH } from './sms.routes.ts';

/** How the SMS channel is set up, for the admin's channel page. */
export function smsSetup(config: SmsConfig): ChannelSetup {
  const missing = [
    config.accountSid ? null : 'TWILIO_ACCOUNT_SID',
    config.authToken ? null : 'TWILIO_AUTH_TOKEN',
    config.from ? null : 'TWILIO_FROM',
  ].filter((m): m is string => m !== null);
  return {
    missing,
    webhooks: [
      { label: 'Twilio number → Messaging → "A message comes in" (HTTP POST)', url: `${config.publicUrl}${INBOUND_PATH}` },
      { label: 'Status callback (set on every message we send; nothing to paste)', url: `${config.publicUrl}${STATUS_PATH}` },
    ],
    addresses: config.from ? [config.from] : [],
    notes: [config.mms ? 'Images agents send go as MMS (US and Canadian numbers).' : 'Files agents send go as links (SMS_MMS=off).'],
    test: { what: 'a phone number in E.164 form (+15017122661)', pattern: /^\+[1-9]\d{6,14}$/u, address: (to) => ({ to: { address: to, phone: to }, kind: 'message' }) },
  };
}
