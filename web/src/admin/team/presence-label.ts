/** An agent's presence in words, with why and until when. */
import { formatStamp } from './format-time.ts';

const NAMES: Record<string, string> = { online: 'Online', busy: 'Busy', break: 'On a break', away: 'Away', offline: 'Offline' };

export function presenceName(presence: string): string {
  return NAMES[presence] ?? presence;
}

export function presenceDetail(a: { presence: string; presenceReason: string | null; presenceUntil: string | null }): string {
  const extra = [a.presenceReason, a.presenceUntil ? `until ${formatStamp(a.presenceUntil)}` : null].filter(Boolean).join(', ');
  return extra ? `${presenceName(a.presence)} (${extra})` : presenceName(a.presence);
}
