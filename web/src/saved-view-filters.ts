/**
 * A saved view keeps the list's query (GET /api/v1/cases parameters), not a tab: saving reads the query of
 * the view and filters shown; applying opens "All open" ("Resolved", "Breaching soon" when the query says
 * so) with the filters that give it back.
 */
import { EMPTY_FILTERS, SORTS, stateFilter, viewDef, type Filters, type SortId, type ViewId } from './inbox-views.ts';
import { OPEN_STATES, type CaseState, type SavedViewFilters } from './types.ts';

export function toSavedFilters(view: ViewId, f: Filters): SavedViewFilters {
  const v = viewDef(view);
  const out: SavedViewFilters = {};
  const state = stateFilter(v, f) ? f.state : v.server.state;
  if (state) out.state = state as NonNullable<SavedViewFilters['state']>;
  const assignee = v.server.assignee ?? f.assignee;
  if (assignee) out.assignee = assignee;
  if (f.queue) out.queue = f.queue;
  if (f.channel) out.channel = f.channel as NonNullable<SavedViewFilters['channel']>;
  if (f.priority) out.priority = Number(f.priority);
  if (f.tag.trim()) out.tag = f.tag.trim();
  if (f.search.trim()) out.q = f.search.trim();
  if (v.server.sla) out.sla = v.server.sla;
  out.sort = v.fixedSort ? 'due' : f.sort;
  return out;
}

export function fromSavedFilters(s: SavedViewFilters): { view: ViewId; filters: Filters } {
  const state = s.state ?? '';
  const sort = SORTS.find((o) => o.id === s.sort)?.id ?? EMPTY_FILTERS.sort;
  return {
    view: s.sla === 'soon' ? 'breaching' : state === 'resolved' || state === 'closed' ? 'resolved' : 'open',
    filters: {
      ...EMPTY_FILTERS,
      state: OPEN_STATES.includes(state as CaseState) ? state : '',
      queue: s.queue ?? '',
      channel: s.channel ?? '',
      priority: s.priority ? String(s.priority) : '',
      assignee: s.assignee ?? '',
      tag: s.tag ?? '',
      search: s.q ?? '',
      sort: sort as SortId,
    },
  };
}

const normal = (s: SavedViewFilters) => JSON.stringify(Object.entries(s).filter(([, v]) => v !== '' && v != null).sort(([a], [b]) => a.localeCompare(b)));

/** whether the list shows what this saved view does */
export const sameFilters = (a: SavedViewFilters, b: SavedViewFilters): boolean => normal(a) === normal(b);
