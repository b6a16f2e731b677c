import type { ChannelSetup } from '../channel.types.ts';

/** How the chat channel is set up, for the admin's channel page: no provider, no address of its own to test. */
export function chatSetup(publicUrl: string): ChannelSetup {
  return { missing: [], webhooks: [], addresses: [], notes: [`The widget is at ${publicUrl}/chat/; embed it in a page of an origin listed in CHAT_WIDGET_FRAME_ANCESTORS.`] };
}
