/** One case in the list: a link that opens it, marked aria-current when it is the open one. */
import { channelLabel, contactOf, stateLabel, when } from './format.ts';
import { SlaBadge } from './sla-badge.tsx';
import type { CaseView } from './types.ts';

interface Props {
  kase: CaseView;
  current: boolean;
  assigneeName: string;
  offeredToMe: boolean;
}

export function CaseRow({ kase: c, current, assigneeName, offeredToMe }: Props) {
  return (
    <li class={`case-row${current ? ' current' : ''}${offeredToMe ? ' offered' : ''}`}>
      <a href={`#/case/${c.number}`} aria-current={current ? 'true' : undefined} class="case-link">
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
        </span>
      </a>
    </li>
  );
}
