/** A rule diff in words: what is added, removed, moved and changed, with before and after of each changed field. */
import { ruleSummary, ruleLabel } from './rule-summary.ts';
import { diffIsEmpty, type RuleDiff } from './rule-diff.ts';

export function RuleDiffView({ diff }: { diff: RuleDiff }) {
  if (diffIsEmpty(diff)) return <p class="muted">The rules are the same.</p>;
  return (
    <div class="rule-diff">
      {diff.added.length > 0 && (
        <section aria-label="Rules added">
          <h3 class="diff-head added">Added ({diff.added.length})</h3>
          <ul>
            {diff.added.map(({ rule, position }) => (
              <li key={rule.id}>
                <strong>{ruleLabel(rule)}</strong> at position {position}
                <div class="diff-summary">{ruleSummary(rule)}</div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {diff.removed.length > 0 && (
        <section aria-label="Rules removed">
          <h3 class="diff-head removed">Removed ({diff.removed.length})</h3>
          <ul>
            {diff.removed.map(({ rule, position }) => (
              <li key={rule.id}>
                <strong>{ruleLabel(rule)}</strong> (was at position {position})
                <div class="diff-summary">{ruleSummary(rule)}</div>
              </li>
            ))}
          </ul>
        </section>
      )}
      {diff.moved.length > 0 && (
        <section aria-label="Rules moved">
          <h3 class="diff-head">Moved ({diff.moved.length})</h3>
          <ul>
            {diff.moved.map(({ rule, from, to }) => (
              <li key={rule.id}><strong>{ruleLabel(rule)}</strong>: position {from} → {to}</li>
            ))}
          </ul>
        </section>
      )}
      {diff.changed.length > 0 && (
        <section aria-label="Rules changed">
          <h3 class="diff-head">Changed ({diff.changed.length})</h3>
          {diff.changed.map(({ rule, fields }) => (
            <div class="diff-table-wrap" key={rule.id}>
              <table class="diff-table">
                <caption>{ruleLabel(rule)}</caption>
                <thead>
                  <tr><th scope="col">Field</th><th scope="col">Before</th><th scope="col">After</th></tr>
                </thead>
                <tbody>
                  {fields.map((f) => (
                    <tr key={f.field}><th scope="row">{f.field}</th><td class="before">{f.before}</td><td class="after">{f.after}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        </section>
      )}
    </div>
  );
}
