/** SLA facts in words: ISO durations, what a policy applies to, a simulation's sentence. */
import { formatDayTime, formatSeconds } from '../team/format-time.ts';
import { TARGETS, type SimulateInput, type Simulation, type SlaMatch } from './sla-types.ts';

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/u;

/** "PT4H" → "4 h"; what it cannot read it shows as written */
export function durationText(iso: string | undefined | null): string {
  if (!iso) return '—';
  const m = ISO.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return iso;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return formatSeconds((((w * 7 + d) * 24 + h) * 60 + min) * 60 + s);
}

export function matchText(m: SlaMatch): string {
  const parts: string[] = [];
  if (m.priority?.length) parts.push(`priority ${m.priority.join(' or ')}`);
  if (m.channel?.length) parts.push(m.channel.join(' or '));
  if (m.queue?.length) parts.push(`queue ${m.queue.join(' or ')}`);
  if (m.category?.length) parts.push(`category ${m.category.join(' or ')}`);
  if (m.tags?.length) parts.push(`tagged ${m.tags.join(' or ')}`);
  if (m.tier?.length) parts.push(`tier ${m.tier.join(' or ')}`);
  if (m.vip !== undefined) parts.push(m.vip ? 'VIP' : 'not VIP');
  return parts.length ? parts.join(', ') : 'Every case';
}

const CHANNEL_WORDS: Record<string, string> = { chat: 'chat', email: 'email', sms: 'SMS', slack: 'Slack message' };

/** "A priority-1 email arriving Friday 16:30 would be due Monday 09:15 (first response) under “Urgent”." */
export function simulationSentence(input: SimulateInput, at: Date, sim: Simulation): string {
  const what = `A priority-${input.priority} ${CHANNEL_WORDS[input.channel] ?? input.channel}${input.vip ? ' from a VIP' : ''} arriving ${formatDayTime(at)}`;
  if (!sim.policy) return `${what} would fall under no policy: nothing would be due.`;
  const dues = TARGETS.flatMap(([key, label]) => {
    const t = sim[key];
    return t ? [`${formatDayTime(new Date(t.dueAt), at)} (${label.toLowerCase()})`] : [];
  });
  if (!dues.length) return `${what} would fall under “${sim.policy}”, which promises nothing.`;
  return `${what} would be due ${dues.join(', then ')} under “${sim.policy}”.`;
}
