/**
 * One case in the list: a checkbox for bulk actions, and a link that opens it (aria-current when it is the open
 * one; `cursor` marks the row the j/k keys reached).
 */
import { memo } from 'preact/compat';
import { channelLabel, contactOf, stateLabel, when } from './format.ts';
import { SlaBadge } from './sla-badge.tsx';
import type { CaseView } from './types.ts';

interface Props {
  kase: CaseView;
  current: boolean;
  cursor: boolean;
  checked: boolean;
  assigneeName: string;
  offeredToMe: boolean;
  onCheck(number: string, checked: boolean): void;
}

export const CaseRow = memo(function CaseRow({ kase: c, current, cursor, checked, assigneeName, offeredToMe, onCheck }: Props) {
  const checkId = `select-${c.number}`;
  return (
    <li class={`case-row${current ? ' current' : ''}${offeredToMe ? ' offered' : ''}${cursor ? ' cursor' : ''}${checked ? ' checked' : ''}`}>
      <span class="row-check">
        <input id={checkId} type="checkbox" checked={checked} onChange={(e) => onCheck(c.number, e.currentTarget.checked)} />
        <label for={checkId} class="visually-hidden">Select {c.number}</label>
      </span>
      <a href={`#/case/${c.number}`} id={`row-${c.number}`} aria-current={current ? 'true' : undefined} class="case-link">
        <span class="row-top">
          <span class="num">{c.number}</span>
          <span class={`badge prio p${c.priority}`}>P{c.priority}</span>
          <span class={`badge state state-${c.state}`}>{stateLabel(c.state)}</span>
          <SlaBadge kase={c} />
          <span class="row-time" title={new Date(c.updatedAt).toLocaleString()}>{when(c.updatedAt)}</span>
        </span>
        <span class="subj">{c.subject || '(no subject)'}</span>
        <span class="row-meta">
          <span>{contactOf(c)}</span>
          <span aria-hidden="true"> · </span>
          <span>{channelLabel(c.channel)}</span>
          <span aria-hidden="true"> · </span>
          <span class={c.assignee ? 'assignee' : 'assignee none'}>{assigneeName}</span>
          {offeredToMe && <span class="badge offer-flag">Offered to you</span>}
          {c.tags.length > 0 && <span class="row-tags"><span class="visually-hidden">Tags: </span>{c.tags.slice(0, 3).map((t) => <span key={t} class="tag mini">{t}</span>)}</span>}
        </span>
      </a>
    </li>
  );
});
