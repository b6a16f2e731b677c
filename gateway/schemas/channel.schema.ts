import { Type } from 'typebox';
import { CHANNEL_NAMES } from '../../channels/channel.types.ts';
import { Nullable, StringEnum } from './common.schema.ts';

export const ChannelOverviewList = Type.Object({
  items: Type.Array(
    Type.Object({
      name: StringEnum(CHANNEL_NAMES),
      enabled: Type.Boolean(),
      reason: Nullable(Type.String({ description: 'why it is off' })),
      testable: Type.Boolean({ description: 'a test message can be sent through it' }),
      missing: Type.Array(Type.String(), { description: 'settings it still needs' }),
      webhooks: Type.Array(Type.Object({ label: Type.String(), url: Type.String() }), { description: 'URLs to paste into the provider’s console' }),
      addresses: Type.Array(Type.String(), { description: 'addresses, numbers or channels it serves' }),
      notes: Type.Array(Type.String()),
    }),
  ),
});

export const ChannelParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 20 }) });

export const ChannelTestBody = Type.Object(
  { to: Type.String({ minLength: 1, maxLength: 320, description: 'an email address, a phone number (E.164) or a Slack channel id' }) },
  { additionalProperties: false },
);

export const ChannelTestResult = Type.Object({
  sent: Type.Literal(true),
  status: Type.String({ description: 'the provider’s answer: sent, queued or delivered' }),
  externalId: Nullable(Type.String()),
});
