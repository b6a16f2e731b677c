/** The SLA promise that matters most now: broken, else the nearest running, else paused or kept (as the old console). */
import type { CaseView, SlaTarget } from './types.ts';
import { span } from './format.ts';

const TARGETS = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' } as const;
const RANK: Record<SlaTarget['state'], number> = { breached: 0, running: 1, paused: 2, met: 3 };

export interface SlaPromise extends SlaTarget {
  name: string;
}

export function topPromise(c: Pick<CaseView, 'sla'>): SlaPromise | null {
  if (!c.sla) return null;
  const all: SlaPromise[] = [];
  for (const key of Object.keys(TARGETS) as (keyof typeof TARGETS)[]) {
    const t = c.sla[key];
    if (t) all.push({ ...t, name: TARGETS[key] });
  }
  all.sort((a, b) => RANK[a.state] - RANK[b.state] || String(a.dueAt).localeCompare(String(b.dueAt)));
  return all[0] ?? null;
}

export interface BadgeState {
  tone: 'running' | 'soon' | 'breached' | 'paused' | 'met';
  text: string;
  title: string;
}

/** What the badge says at `now`; a running clock past its due time shows as overdue. */
export function describePromise(p: SlaPromise, now: number, long: boolean): BadgeState {
  const name = long ? `${p.name} ` : '';
  const left = p.dueAt ? Date.parse(p.dueAt) - now : NaN;
  let state: SlaTarget['state'] = p.state;
  if (state === 'running' && left <= 0) state = 'breached';
  const tone = state === 'running' && left < 30 * 60_000 ? 'soon' : state;
  const text =
    state === 'paused'
      ? `${name}paused`
      : state === 'met'
        ? `${name}met`
        : state === 'breached'
          ? `${name}${p.dueAt ? `overdue ${span(left)}` : 'breached'}`
          : `${name}due in ${span(left)}`;
  const title = `SLA ${p.name}${p.dueAt ? ` due ${new Date(p.dueAt).toLocaleString()}` : ''}`;
  return { tone, text, title };
}
