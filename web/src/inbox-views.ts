/**
 * The inbox's views and filters: the query each sends to the API (the server selects, sorts and pages), and the
 * same rule applied to a case the stream reports, to keep, drop or add its row among those loaded.
 */
import type { CaseListParams } from './api-client.ts';
import { topPromise } from './sla.ts';
import { CASE_STATES, OPEN_STATES, type CaseView, type ViewCounts } from './types.ts';

export type ViewId = 'offered' | 'mine' | 'unassigned' | 'open' | 'breaching' | 'resolved';
export type SortId = 'priority' | 'oldest' | 'newest' | 'due';

export interface Filters {
  state: string;
  queue: string;
  channel: string;
  priority: string;
  /** an agent's id, `me` or `none` */
  assignee: string;
  tag: string;
  search: string;
  sort: SortId;
}

export const EMPTY_FILTERS: Filters = { state: '', queue: '', channel: '', priority: '', assignee: '', tag: '', search: '', sort: 'priority' };
export const PAGE_SIZE = 50;

export const SORTS: { id: SortId; label: string }[] = [
  { id: 'priority', label: 'Priority, then age' },
  { id: 'oldest', label: 'Age (oldest first)' },
  { id: 'newest', label: 'Newest first' },
  { id: 'due', label: 'SLA due first' },
];

export const isOpen = (c: Pick<CaseView, 'state'>) => OPEN_STATES.includes(c.state);

const SOON_MS = 30 * 60_000;

/** broken, or due within 30 minutes, on an active case (as the server's sla=soon) */
export function breachingSoon(c: CaseView, now = Date.now()): boolean {
  if (!isOpen(c)) return false;
  const p = topPromise(c);
  if (!p) return false;
  if (p.state === 'breached') return true;
  return p.state === 'running' && !!p.dueAt && Date.parse(p.dueAt) - now <= SOON_MS;
}

interface ViewDef {
  id: ViewId;
  label: string;
  /** its query */
  server: Partial<CaseListParams>;
  /** the same rule for one case, given the caller's id and queues ([]: every queue) */
  matches(c: CaseView, meId: string, myQueues: string[]): boolean;
  /** the states the state filter may narrow it to (none: the filter does not apply) */
  states: readonly string[];
  /** a view that decides its own order */
  fixedSort?: boolean;
  count: keyof ViewCounts;
}

export const VIEWS: ViewDef[] = [
  { id: 'offered', label: 'Offered to me', server: { offeredTo: 'me' }, matches: (c, me) => c.offeredTo === me, states: CASE_STATES, count: 'offeredToMe' },
  { id: 'mine', label: 'Mine', server: { assignee: 'me', state: 'active' }, matches: (c, me) => c.assignee === me && isOpen(c), states: OPEN_STATES, count: 'mine' },
  {
    id: 'unassigned',
    label: 'Unassigned',
    server: { assignee: 'none', state: 'active', queue: 'mine' },
    matches: (c, _me, mine) => !c.assignee && isOpen(c) && (!mine.length || (!!c.queue && mine.includes(c.queue))),
    states: OPEN_STATES,
    count: 'unassigned',
  },
  { id: 'open', label: 'All open', server: { state: 'active' }, matches: (c) => isOpen(c), states: OPEN_STATES, count: 'open' },
  { id: 'breaching', label: 'Breaching soon', server: { sla: 'soon' }, matches: (c) => breachingSoon(c), states: OPEN_STATES, fixedSort: true, count: 'breachingSoon' },
  { id: 'resolved', label: 'Resolved', server: { state: 'resolved' }, matches: (c) => c.state === 'resolved', states: [], count: 'resolved' },
];

export function viewDef(id: ViewId): ViewDef {
  return VIEWS.find((v) => v.id === id) ?? VIEWS[3]!;
}

/** whether the state filter narrows this view (a state the view can hold) */
export function stateFilter(v: ViewDef, f: Filters): boolean {
  return !!f.state && v.states.includes(f.state);
}

/** whether the assignee filter narrows this view (one that does not choose the assignee itself) */
export const assigneeFilterApplies = (v: ViewDef): boolean => !v.server.assignee;

function assigneeMatches(c: CaseView, assignee: string, meId: string): boolean {
  if (assignee === 'none') return !c.assignee;
  return c.assignee === (assignee === 'me' ? meId : assignee);
}

export function serverParams(view: ViewId, f: Filters): CaseListParams {
  const v = viewDef(view);
  const p: CaseListParams = { ...v.server, limit: PAGE_SIZE };
  if (stateFilter(v, f)) p.state = f.state;
  if (f.queue) p.queue = f.queue;
  if (f.channel) p.channel = f.channel;
  if (f.priority) p.priority = f.priority;
  if (f.assignee && assigneeFilterApplies(v)) p.assignee = f.assignee;
  if (f.tag.trim()) p.tag = f.tag.trim();
  if (f.search.trim()) p.q = f.search.trim();
  if (!v.fixedSort) p.sort = f.sort;
  return p;
}

/**
 * Whether a case the stream reports belongs among the rows. Search is full-text on the server: with a search
 * the browser cannot tell, so `undefined` (keep a row already loaded, add none).
 */
export function matchesAll(c: CaseView, view: ViewId, f: Filters, meId: string, myQueues: string[]): boolean | undefined {
  const v = viewDef(view);
  if (!v.matches(c, meId, myQueues)) return false;
  if (stateFilter(v, f) && c.state !== f.state) return false;
  if (f.queue && c.queue !== f.queue) return false;
  if (f.channel && c.channel !== f.channel) return false;
  if (f.priority && String(c.priority) !== f.priority) return false;
  if (f.assignee && assigneeFilterApplies(v) && !assigneeMatches(c, f.assignee, meId)) return false;
  const tag = f.tag.trim().toLowerCase();
  if (tag && !c.tags.some((t) => t.toLowerCase() === tag)) return false;
  if (f.search.trim()) return undefined;
  return true;
}

const dueOf = (c: CaseView): number => {
  const p = topPromise(c);
  return p?.dueAt && (p.state === 'running' || p.state === 'breached') ? Date.parse(p.dueAt) : Number.POSITIVE_INFINITY;
};

/** the server's order, to place a row the stream adds among those loaded */
export function compareCases(view: ViewId, sort: SortId): (a: CaseView, b: CaseView) => number {
  const age = (a: CaseView, b: CaseView) => a.createdAt.localeCompare(b.createdAt) || a.number.localeCompare(b.number);
  if (viewDef(view).fixedSort) return (a, b) => dueOf(a) - dueOf(b) || age(a, b);
  switch (sort) {
    case 'priority': return (a, b) => a.priority - b.priority || age(a, b);
    case 'oldest': return age;
    case 'newest': return (a, b) => -age(a, b);
    case 'due': return (a, b) => dueOf(a) - dueOf(b) || age(a, b);
  }
}
