/** How often a rule matched routed customer messages, and when it last did. */
import { relativeTime } from './relative-time.ts';
import type { Hits } from './use-rules-document.ts';

export function RuleHits({ hits, ruleId, isNew }: { hits: Hits; ruleId: string; isNew: boolean }) {
  if (isNew) return <span class="rule-hits muted">Not live yet</span>;
  if (hits.state !== 'ready') return <span class="rule-hits muted">{hits.state === 'loading' ? 'Counting matches…' : 'Matches not counted'}</span>;
  const h = hits.byRule.get(ruleId);
  return (
    <dl class="rule-hits">
      <div><dt>24 h</dt><dd>{h?.last24h ?? 0}</dd></div>
      <div><dt>7 days</dt><dd>{h?.last7d ?? 0}</dd></div>
      <div>
        <dt>Last match</dt>
        <dd>{h?.lastMatchAt ? <time dateTime={h.lastMatchAt} title={new Date(h.lastMatchAt).toLocaleString()}>{relativeTime(h.lastMatchAt)}</time> : 'never'}</dd>
      </div>
    </dl>
  );
}
