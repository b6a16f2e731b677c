/** Small text helpers shared by the list, the case and the offers. */
import type { CaseState, CaseView } from './types.ts';

export function span(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s % 60}s`;
}

const shortFormat = new Intl.DateTimeFormat([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const longFormat = new Intl.DateTimeFormat([], { dateStyle: 'medium', timeStyle: 'medium' });

export const when = (iso: string): string => shortFormat.format(new Date(iso));
export const whenLong = (iso: string): string => longFormat.format(new Date(iso));

export function contactOf(c: Pick<CaseView, 'contact'>): string {
  return c.contact.name || c.contact.email || c.contact.phone || 'Unknown contact';
}

const STATE_LABELS: Record<CaseState, string> = {
  new: 'New',
  open: 'Open',
  awaiting_customer: 'Awaiting customer',
  resolved: 'Resolved',
  closed: 'Closed',
};
export const stateLabel = (s: string): string => STATE_LABELS[s as CaseState] ?? s;

export const PRIORITY_LABELS: Record<number, string> = { 1: 'Critical', 2: 'High', 3: 'Normal', 4: 'Low' };
export const priorityLabel = (p: number): string => `P${p} ${PRIORITY_LABELS[p] ?? ''}`.trim();

const CHANNEL_LABELS: Record<string, string> = { chat: 'Chat', email: 'Email', sms: 'SMS', slack: 'Slack' };
export const channelLabel = (c: string): string => CHANNEL_LABELS[c] ?? c;

/** mm:ss under an hour, else as span */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s >= 3600) return span(ms);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
