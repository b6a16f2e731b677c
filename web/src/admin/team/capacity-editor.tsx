/** How many open cases an agent takes at once: one number for every channel, or one per channel (a channel left out takes none). */
import { CHANNELS } from '../../types.ts';
import { FieldGroup } from './form-field.tsx';
import type { ChannelCapacity } from './team-types.ts';

export interface CapacityDraft {
  perChannel: boolean;
  all: string;
  channels: Record<(typeof CHANNELS)[number], string>;
}

export function capacityDraft(c: number | ChannelCapacity | undefined): CapacityDraft {
  if (typeof c === 'object') {
    return { perChannel: true, all: '5', channels: { chat: String(c.chat ?? 0), email: String(c.email ?? 0), sms: String(c.sms ?? 0), slack: String(c.slack ?? 0) } };
  }
  const n = String(c ?? 5);
  return { perChannel: false, all: n, channels: { chat: n, email: n, sms: n, slack: n } };
}

export function capacityValue(d: CapacityDraft): number | ChannelCapacity {
  if (!d.perChannel) return Number(d.all);
  return Object.fromEntries(CHANNELS.map((ch) => [ch, Number(d.channels[ch] || 0)]));
}

const NAMES: Record<string, string> = { chat: 'Chat', email: 'Email', sms: 'SMS', slack: 'Slack' };

export function CapacityEditor({ value, error, onChange }: { value: CapacityDraft; error?: string | undefined; onChange(d: CapacityDraft): void }) {
  return (
    <FieldGroup legend="Capacity" error={error} hint="Open cases the agent takes at once.">
      <div class="choices">
        <label class="choice"><input type="radio" name="capacity-kind" checked={!value.perChannel} onChange={() => onChange({ ...value, perChannel: false })} /> Same for every channel</label>
        <label class="choice"><input type="radio" name="capacity-kind" checked={value.perChannel} onChange={() => onChange({ ...value, perChannel: true })} /> Per channel</label>
      </div>
      {value.perChannel ? (
        <div class="capacity-grid">
          {CHANNELS.map((ch) => (
            <div key={ch} class="field">
              <label class="field-label" for={`capacity-${ch}`}>{NAMES[ch]} capacity</label>
              <input id={`capacity-${ch}`} type="number" min={0} value={value.channels[ch]}
                onInput={(e) => onChange({ ...value, channels: { ...value.channels, [ch]: e.currentTarget.value } })} />
            </div>
          ))}
        </div>
      ) : (
        <div class="field">
          <label class="field-label" for="capacity-all">Cases at once</label>
          <input id="capacity-all" type="number" min={0} value={value.all} onInput={(e) => onChange({ ...value, all: e.currentTarget.value })} />
        </div>
      )}
    </FieldGroup>
  );
}
