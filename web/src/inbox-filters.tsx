/** Search, the filters (state, queue, channel, priority, assignee, tag) and the order of the list. */
import { Field } from './field.tsx';
import { assigneeFilterApplies, EMPTY_FILTERS, SORTS, stateFilter, viewDef, type Filters, type SortId, type ViewId } from './inbox-views.ts';
import { channelLabel, PRIORITY_LABELS, stateLabel } from './format.ts';
import { CHANNELS, type Agent, type Queue } from './types.ts';

interface Props {
  view: ViewId;
  filters: Filters;
  queues: Queue[];
  agents: Agent[];
  onChange(f: Filters): void;
}

export function InboxFilters({ view, filters, queues, agents, onChange }: Props) {
  const set = <K extends keyof Filters>(k: K, v: Filters[K]) => onChange({ ...filters, [k]: v });
  const def = viewDef(view);
  const byAssignee = assigneeFilterApplies(def);
  const active = !!(filters.state || filters.queue || filters.channel || filters.priority || filters.assignee || filters.tag || filters.search);

  return (
    <div class="filters" role="search" aria-label="Filter cases">
      <Field class="search-field" label="Search" hideLabel>{(id) => (
        <input id={id} type="search" placeholder="Search messages, notes, subjects, contacts" value={filters.search} onInput={(e) => set('search', e.currentTarget.value)} />
      )}</Field>
      <div class="filter-row">
        <Field class="compact" label="State">{(id) => (
          <select id={id} value={stateFilter(def, filters) ? filters.state : ''} disabled={!def.states.length} onChange={(e) => set('state', e.currentTarget.value)}>
            <option value="">Any</option>
            {def.states.map((s) => <option key={s} value={s}>{stateLabel(s)}</option>)}
          </select>
        )}</Field>
        <Field class="compact" label="Queue">{(id) => (
          <select id={id} value={filters.queue} onChange={(e) => set('queue', e.currentTarget.value)}>
            <option value="">Any</option>
            {queues.map((q) => <option key={q.id} value={q.name}>{q.name}</option>)}
          </select>
        )}</Field>
        <Field class="compact" label="Channel">{(id) => (
          <select id={id} value={filters.channel} onChange={(e) => set('channel', e.currentTarget.value)}>
            <option value="">Any</option>
            {CHANNELS.map((c) => <option key={c} value={c}>{channelLabel(c)}</option>)}
          </select>
        )}</Field>
        <Field class="compact" label="Priority">{(id) => (
          <select id={id} value={filters.priority} onChange={(e) => set('priority', e.currentTarget.value)}>
            <option value="">Any</option>
            {[1, 2, 3, 4].map((p) => <option key={p} value={String(p)}>P{p} {PRIORITY_LABELS[p]}</option>)}
          </select>
        )}</Field>
        <Field class="compact" label="Assignee">{(id) => (
          <select id={id} value={byAssignee ? filters.assignee : ''} disabled={!byAssignee} onChange={(e) => set('assignee', e.currentTarget.value)}>
            <option value="">Anyone</option>
            <option value="me">Me</option>
            <option value="none">Nobody</option>
            {agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        )}</Field>
        <Field class="compact" label="Tag">{(id) => (
          <input id={id} type="text" maxLength={50} autoComplete="off" value={filters.tag} onInput={(e) => set('tag', e.currentTarget.value)} />
        )}</Field>
        <Field class="compact" label="Sort">{(id) => (
          <select id={id} value={def.fixedSort ? 'due' : filters.sort} disabled={def.fixedSort} onChange={(e) => set('sort', e.currentTarget.value as SortId)}>
            {SORTS.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
          </select>
        )}</Field>
        {active && (
          <button type="button" class="btn link" onClick={() => onChange({ ...EMPTY_FILTERS, sort: filters.sort })}>
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
