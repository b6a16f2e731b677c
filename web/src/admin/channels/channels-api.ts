/** The channels' state as the gateway runs them, and a test message through one. */
import { request } from '../../api-client.ts';

export interface ChannelState {
  name: 'email' | 'sms' | 'slack' | 'chat';
  enabled: boolean;
  /** why it is off */
  reason: string | null;
  /** settings still to set */
  missing: string[];
  /** the exact URLs to paste into Twilio, Slack or the mail provider */
  webhooks: { label: string; url: string }[];
  /** addresses served: mailboxes, the SMS number… */
  addresses: string[];
  /** anything else worth knowing about how it runs */
  notes: string[];
  /** a test message can be sent through it now */
  testable: boolean;
}

export interface ChannelTestResult {
  sent: true;
  /** the provider's answer: sent, queued or delivered */
  status: string;
  externalId: string | null;
}

export const channelsApi = {
  list: () => request<{ items: ChannelState[] }>('GET', '/api/v1/channels'),
  test: (name: string, to: string) => request<ChannelTestResult>('POST', `/api/v1/channels/${encodeURIComponent(name)}/test`, { to }),
};
