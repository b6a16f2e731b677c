/** A channel without its credentials: it says why once at start, and a send that reaches it fails loudly. */
import { SendError, type ChannelName, type ChannelPlugin } from './channel.types.ts';

export function disabledChannel(name: ChannelName, reason: string): ChannelPlugin {
  return {
    name,
    enabled: false,
    disabledReason: reason,
    async send() {
      // the outbox does not route to a disabled channel; should anything else, the message must not vanish
      throw new SendError(reason, false, 'CHANNEL_DISABLED');
    },
  };
}
