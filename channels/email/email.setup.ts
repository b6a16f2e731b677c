import type { ChannelSetup } from '../channel.types.ts';
import type { EmailConfig } from './email.config.ts';
import { EMAIL_WEBHOOK_PATH } from './email-webhook.route.ts';

/** How the email channel is set up, for the admin's channel page. */
export function emailSetup(config: EmailConfig, publicUrl: string): ChannelSetup {
  return {
    missing: config.smtpUrl ? [] : ['SMTP_URL'],
    webhooks: config.webhookToken ? [{ label: 'Inbound mail webhook (POST the raw message with Authorization: Bearer EMAIL_WEBHOOK_TOKEN)', url: `${publicUrl}${EMAIL_WEBHOOK_PATH}` }] : [],
    addresses: [...config.supportAddresses],
    notes: [
      config.smtpPort === 0 ? 'The SMTP listener is off (SMTP_PORT=0).' : `Mail is received over SMTP on ${config.smtpHost}:${config.smtpPort}; point the MX (or a relay) there.`,
      config.smtpUrl ? 'Answers are sent through SMTP_URL.' : 'Answers are written as .eml files under DATA_DIR/outbox until SMTP_URL is set.',
    ],
    // a mail about no case: automatic, outside any thread
    test: { what: 'an email address', pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/u, address: (to) => ({ to: { address: to, email: to }, kind: 'notice' }) },
  };
}
