/** Two versions of the whole configuration side by side: rules, lexicon, templates, business hours. */
import { diffLexicon } from '../lexicon/lexicon-diff.ts';
import { LexiconDiffView } from '../lexicon/lexicon-diff-view.tsx';
import { diffRules, same } from './rule-diff.ts';
import { RuleDiffView } from './rule-diff-view.tsx';
import type { RuleDocument } from './rules-types.ts';

function templateChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(after)) {
    if (!(name in before)) out.push(`${name} added`);
    else if (before[name] !== after[name]) out.push(`${name} changed`);
  }
  for (const name of Object.keys(before)) if (!(name in after)) out.push(`${name} removed`);
  return out;
}

export function DocumentDiffView({ before, after }: { before: RuleDocument; after: RuleDocument }) {
  const templates = templateChanges(before.templates, after.templates);
  return (
    <div class="document-diff">
      <h3 class="diff-section">Rules</h3>
      <RuleDiffView diff={diffRules(before.rules, after.rules)} />
      <h3 class="diff-section">Lexicon</h3>
      <LexiconDiffView diff={diffLexicon(before.lexicon, after.lexicon)} />
      <h3 class="diff-section">Templates</h3>
      {templates.length ? <ul>{templates.map((t) => <li key={t}>{t}</li>)}</ul> : <p class="muted">The templates are the same.</p>}
      <h3 class="diff-section">Business hours</h3>
      {same(before.businessHours, after.businessHours) ? (
        <p class="muted">The business hours are the same.</p>
      ) : (
        <p>
          {JSON.stringify(before.businessHours) ?? 'always open'} → {JSON.stringify(after.businessHours) ?? 'always open'}
        </p>
      )}
    </div>
  );
}
