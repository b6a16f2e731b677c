/** A routing decision's trace, step by step: the scores, each rule tried and why, which won and which were overridden. */
import type { TraceEntry } from './rules-types.ts';

type RuleStep = Extract<TraceEntry, { kind: 'rule' }>;

const overridden = (s: RuleStep): string[] => s.applied.filter((a) => a.includes(' ignored:'));

function Scores({ s }: { s: Extract<TraceEntry, { kind: 'scores' }> }) {
  const cats = Object.entries(s.categoryScores).sort((a, b) => b[1] - a[1]);
  return (
    <div class="trace-scores">
      <h4>Scores</h4>
      <dl class="trace-facts">
        <div><dt>Category</dt><dd>{s.category ?? 'none'}</dd></div>
        <div><dt>Sentiment</dt><dd>{s.sentiment}</dd></div>
        <div><dt>Frustrated</dt><dd>{s.frustrated ? 'yes' : 'no'}</dd></div>
        <div><dt>Urgency</dt><dd>{s.urgency}</dd></div>
        <div><dt>Keywords found</dt><dd>{s.keywords.length ? s.keywords.join(', ') : 'none'}</dd></div>
      </dl>
      {cats.length > 0 && (
        <p class="small">Category scores: {cats.map(([c, n]) => `${c} ${n}`).join(' · ')}</p>
      )}
      {s.truncated && <p class="small">The text was long: only its beginning was scored.</p>}
      {s.explanation.length > 0 && <ul class="small">{s.explanation.map((x, i) => <li key={i}>{x}</li>)}</ul>}
    </div>
  );
}

export function TraceView({ trace, queueRule }: { trace: readonly TraceEntry[]; queueRule: string | null }) {
  return (
    <ol class="trace" aria-label="Trace">
      {trace.map((e, i) => {
        switch (e.kind) {
          case 'scores':
            return <li key={i} class="trace-step"><Scores s={e} /></li>;
          case 'rule': {
            const over = overridden(e);
            const won = e.matched && e.ruleId === queueRule;
            return (
              <li key={i} class={`trace-step trace-rule ${e.matched ? 'matched' : 'unmatched'}`}>
                <div class="trace-rule-head">
                  <strong>{e.name ?? e.ruleId}</strong>
                  <span class={`badge ${e.matched ? 'rule-on' : ''}`}>{e.matched ? 'Matched' : 'No match'}</span>
                  {won && <span class="badge trace-won">Chose the queue</span>}
                  {over.length > 0 && <span class="badge trace-over">Overridden</span>}
                </div>
                <p class="small">{e.reasons.join('; ')}</p>
                {e.applied.length > 0 && <p class="small">Applied: {e.applied.join('; ')}</p>}
              </li>
            );
          }
          case 'skipped':
            return <li key={i} class="trace-step muted">{e.count} keyword {e.count === 1 ? 'rule' : 'rules'} skipped: {e.reason}</li>;
          case 'queue':
            return <li key={i} class="trace-step"><strong>Queue {e.queue}</strong>: {e.reason}</li>;
          case 'priority':
            return (
              <li key={i} class="trace-step">
                <strong>Priority {e.priority}</strong> ({e.points} points){e.explanation.length ? `: ${e.explanation.join('; ')}` : ''}
              </li>
            );
          default:
            return <li key={i} class="trace-step">{JSON.stringify(e)}</li>;
        }
      })}
    </ol>
  );
}

/** the rule the trace says chose the queue ("chosen by rule billing"), null for the default */
export function queueRuleOf(trace: readonly TraceEntry[]): string | null {
  const q = trace.find((e): e is Extract<TraceEntry, { kind: 'queue' }> => e.kind === 'queue');
  const m = q ? /^chosen by rule (.+)$/u.exec(q.reason) : null;
  return m?.[1] ?? null;
}
