/** The inbox's views and filters: what each asks the API for and what it keeps when the stream reports a change. */
import type { CaseListParams } from './api-client.ts';
import { topPromise } from './sla.ts';
import { OPEN_STATES, type CaseView } from './types.ts';

export type ViewId = 'offered' | 'mine' | 'unassigned' | 'open' | 'resolved';
export type SortId = 'priority' | 'oldest' | 'newest' | 'due';

export interface Filters {
  state: string;
  queue: string;
  channel: string;
  priority: string;
  search: string;
  sort: SortId;
}

export const EMPTY_FILTERS: Filters = { state: '', queue: '', channel: '', priority: '', search: '', sort: 'priority' };

export const SORTS: { id: SortId; label: string }[] = [
  { id: 'priority', label: 'Priority, then age' },
  { id: 'oldest', label: 'Age (oldest first)' },
  { id: 'newest', label: 'Newest first' },
  { id: 'due', label: 'SLA due first' },
];

export const isOpen = (c: Pick<CaseView, 'state'>) => OPEN_STATES.includes(c.state);

interface ViewDef {
  id: ViewId;
  label: string;
  /** what the API can select */
  server: Partial<CaseListParams>;
  /** the whole rule, applied to loaded pages and to cases the stream reports; `stateChosen`: the state filter decides openness */
  matches(c: CaseView, meId: string, stateChosen: boolean): boolean;
  fixedState?: string;
}

export const VIEWS: ViewDef[] = [
  { id: 'offered', label: 'Offered to me', server: { offeredTo: 'me' }, matches: (c, me) => c.offeredTo === me },
  { id: 'mine', label: 'Mine', server: { assignee: 'me' }, matches: (c, me, chosen) => c.assignee === me && (chosen || isOpen(c)) },
  { id: 'unassigned', label: 'Unassigned', server: {}, matches: (c, _me, chosen) => !c.assignee && (chosen || isOpen(c)) },
  { id: 'open', label: 'All open', server: {}, matches: (c, _me, chosen) => chosen || isOpen(c) },
  { id: 'resolved', label: 'Resolved', server: { state: 'resolved' }, matches: (c) => c.state === 'resolved', fixedState: 'resolved' },
];

export function viewDef(id: ViewId): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[3]!;
}

export function serverParams(view: ViewId, f: Filters): CaseListParams {
  const v = viewDef(view);
  const p: CaseListParams = { ...v.server, limit: 100 };
  if (!v.fixedState && f.state) p.state = f.state;
  if (f.queue) p.queue = f.queue;
  if (f.channel) p.channel = f.channel;
  if (f.search.trim()) p.q = f.search.trim();
  if (f.sort === 'due') p.sort = 'due';
  return p;
}

export function matchesAll(c: CaseView, view: ViewId, f: Filters, meId: string): boolean {
  const v = viewDef(view);
  const stateChosen = !v.fixedState && !!f.state;
  if (!v.matches(c, meId, stateChosen)) return false;
  if (stateChosen && c.state !== f.state) return false;
  if (f.queue && c.queue !== f.queue) return false;
  if (f.channel && c.channel !== f.channel) return false;
  if (f.priority && String(c.priority) !== f.priority) return false;
  const q = f.search.trim().toLowerCase();
  if (q && !(c.subject.toLowerCase().includes(q) || c.number.toLowerCase().includes(q))) return false;
  return true;
}

const dueOf = (c: CaseView): number => {
  const p = topPromise(c);
  return p?.dueAt && (p.state === 'running' || p.state === 'breached') ? Date.parse(p.dueAt) : Number.POSITIVE_INFINITY;
};

export function compareCases(sort: SortId): (a: CaseView, b: CaseView) => number {
  const age = (a: CaseView, b: CaseView) => a.createdAt.localeCompare(b.createdAt) || a.number.localeCompare(b.number);
  switch (sort) {
    case 'priority': return (a, b) => a.priority - b.priority || age(a, b);
    case 'oldest': return age;
    case 'newest': return (a, b) => -age(a, b);
    case 'due': return (a, b) => dueOf(a) - dueOf(b) || age(a, b);
  }
}
