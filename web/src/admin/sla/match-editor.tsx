/** Which cases a policy is for: every condition given must hold; each list means any of. */
import { CHANNELS } from '../../types.ts';
import { FieldGroup, FormField } from '../team/form-field.tsx';
import type { SlaMatch } from './sla-types.ts';

export interface MatchDraft {
  priority: number[];
  channel: string[];
  queue: string[];
  category: string;
  tags: string;
  tier: string;
  vip: '' | 'yes' | 'no';
}

const words = (s: string) => s.split(',').map((w) => w.trim()).filter(Boolean);

export function matchDraft(m: SlaMatch): MatchDraft {
  return {
    priority: m.priority ?? [], channel: m.channel ?? [], queue: m.queue ?? [],
    category: (m.category ?? []).join(', '), tags: (m.tags ?? []).join(', '), tier: (m.tier ?? []).join(', '),
    vip: m.vip === undefined ? '' : m.vip ? 'yes' : 'no',
  };
}

export function matchValue(d: MatchDraft): SlaMatch {
  const m: SlaMatch = {};
  if (d.priority.length) m.priority = [...d.priority].sort();
  if (d.channel.length) m.channel = d.channel;
  if (d.queue.length) m.queue = d.queue;
  if (words(d.category).length) m.category = words(d.category);
  if (words(d.tags).length) m.tags = words(d.tags);
  if (words(d.tier).length) m.tier = words(d.tier);
  if (d.vip) m.vip = d.vip === 'yes';
  return m;
}

function Checks<T extends string | number>({ legend, all, chosen, name, onChange }: { legend: string; all: readonly T[]; chosen: T[]; name(v: T): string; onChange(v: T[]): void }) {
  return (
    <fieldset class="admin-group nested checks">
      <legend>{legend}</legend>
      {all.map((v) => (
        <label key={String(v)} class="choice">
          <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => onChange(e.currentTarget.checked ? [...chosen, v] : chosen.filter((x) => x !== v))} /> {name(v)}
        </label>
      ))}
    </fieldset>
  );
}

export function MatchEditor({ value, queues, error, onChange }: { value: MatchDraft; queues: readonly string[]; error?: string | undefined; onChange(d: MatchDraft): void }) {
  const set = <K extends keyof MatchDraft>(k: K, v: MatchDraft[K]) => onChange({ ...value, [k]: v });
  const queueChoices = [...queues, ...value.queue.filter((q) => !queues.includes(q))];
  return (
    <FieldGroup legend="Applies to" error={error} hint="Leave everything empty for every case; within a list, any of the ticked ones.">
      <Checks legend="Priorities" all={[1, 2, 3, 4]} chosen={value.priority} name={(p) => `Priority ${p}`} onChange={(v) => set('priority', v)} />
      <Checks legend="Channels" all={CHANNELS} chosen={value.channel} name={(c) => c} onChange={(v) => set('channel', v)} />
      <Checks legend="Queues" all={queueChoices} chosen={value.queue} name={(q) => q} onChange={(v) => set('queue', v)} />
      <div class="form-grid">
        <FormField label="Categories" hint="Comma separated.">{(c) => <input {...c} type="text" value={value.category} onInput={(e) => set('category', e.currentTarget.value)} />}</FormField>
        <FormField label="Tags" hint="Comma separated.">{(c) => <input {...c} type="text" value={value.tags} onInput={(e) => set('tags', e.currentTarget.value)} />}</FormField>
        <FormField label="Account tiers" hint="Comma separated, e.g. gold, enterprise.">{(c) => <input {...c} type="text" value={value.tier} onInput={(e) => set('tier', e.currentTarget.value)} />}</FormField>
        <FormField label="VIP">
          {(c) => (
            <select {...c} value={value.vip} onChange={(e) => set('vip', e.currentTarget.value as MatchDraft['vip'])}>
              <option value="">VIP or not</option><option value="yes">Only VIP</option><option value="no">Only not VIP</option>
            </select>
          )}
        </FormField>
      </div>
    </FieldGroup>
  );
}
