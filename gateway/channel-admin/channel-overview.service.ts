/**
 * The channels as an admin sets them up: whether each is on (and why not), the settings it still needs,
 * the URLs to give its provider, what it serves; and a test message sent straight through a channel
 * (not the outbox: nothing is stored, and the admin sees the provider's answer at once).
 */
import { randomUUID } from 'node:crypto';
import { SendError, type ChannelName, type ChannelPlugin, type ChannelSetup, type OutboundMessage } from '../../channels/channel.types.ts';
import type { Db } from '../../store/db.ts';
import { recipientOptedOut } from '../../store/outbound.repository.ts';
import { GatewayError } from '../errors.ts';

export interface ChannelOverview extends ChannelSetup {
  name: ChannelName;
  enabled: boolean;
  /** why it is off */
  reason: string | null;
  /** whether POST /api/v1/channels/:name/test can send through it */
  testable: boolean;
}

export class ChannelOverviewService {
  constructor(
    private readonly deps: {
      db: Db;
      channels: ReadonlyMap<string, ChannelPlugin>;
      setups: Readonly<Record<ChannelName, ChannelSetup>>;
      now: () => Date;
    },
  ) {}

  list(): ChannelOverview[] {
    return (Object.keys(this.deps.setups) as ChannelName[]).map((name) => {
      const plugin = this.deps.channels.get(name);
      const { test, ...setup } = this.deps.setups[name];
      return {
        name,
        enabled: plugin?.enabled ?? false,
        reason: plugin?.enabled ? null : (plugin?.disabledReason ?? 'not configured'),
        testable: Boolean(test) && (plugin?.enabled ?? false),
        ...setup,
      };
    });
  }

  async test(name: string, to: string, by: string): Promise<{ sent: true; status: string; externalId: string | null }> {
    const plugin = this.deps.channels.get(name);
    if (!plugin || !(name in this.deps.setups)) throw new GatewayError('NOT_FOUND', `no channel "${name}"`);
    const target = this.deps.setups[name as ChannelName].test;
    if (!target) throw new GatewayError('CHANNEL_TEST_UNAVAILABLE', `the ${name} channel has no address of its own to test: open the widget instead`);
    if (!plugin.enabled) throw new GatewayError('CHANNEL_OFF', `the ${name} channel is off: ${plugin.disabledReason ?? 'not configured'}`);
    if (!target.pattern.test(to)) throw new GatewayError('VALIDATION_FAILED', `to must be ${target.what}`);
    if (await recipientOptedOut(this.deps.db.read, name, to)) throw new GatewayError('RECIPIENT_OPTED_OUT', `${to} opted out of ${name}: nothing is sent there`);
    const at = this.deps.now().toISOString();
    const msg: OutboundMessage = {
      interactionId: `test:${randomUUID()}`,
      channel: name as ChannelName,
      caseNumber: '',
      subject: 'Switchboard test message',
      text: `This is a test message from Switchboard, sent by ${by} at ${at}: the ${name} channel can send.`,
      references: [],
      attempt: 1,
      ...target.address(to),
    };
    try {
      const result = await plugin.send(msg);
      return { sent: true, status: result.status, externalId: result.externalId ?? null };
    } catch (err) {
      const reason = err instanceof SendError ? `${err.code}: ${err.message}` : (err as Error).message;
      throw new GatewayError('CHANNEL_SEND_FAILED', `the ${name} channel could not send the test: ${reason}`);
    }
  }
}
