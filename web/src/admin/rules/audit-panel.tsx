/** Who changed the rules, when, and what: newest first, a page at a time. */
import { useCallback, useId } from 'preact/hooks';
import { whenLong } from '../../format.ts';
import { diffLexicon } from '../lexicon/lexicon-diff.ts';
import { LexiconDiffView } from '../lexicon/lexicon-diff-view.tsx';
import { diffRules } from './rule-diff.ts';
import { RuleDiffView } from './rule-diff-view.tsx';
import { ruleSummary, ruleLabel } from './rule-summary.ts';
import { rulesApi } from './rules-api.ts';
import type { AuditEntry, Lexicon, Rule } from './rules-types.ts';
import { usePaged } from './use-paged.ts';
import type { NameOf } from './use-agent-names.ts';

const ACTIONS: Record<string, string> = {
  'rule.created': 'added a rule',
  'rule.updated': 'changed a rule',
  'rule.deleted': 'deleted a rule',
  'config.updated': 'replaced',
  'config.restored': 'restored',
  'config.seeded': 'seeded the defaults',
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null);

function placed(v: Obj | null): string | null {
  const rule = obj(v?.rule) as Rule | null;
  if (!rule || !rule.when || !rule.then) return null;
  return `${typeof v?.position === 'number' ? `#${v.position + 1} ` : ''}${ruleLabel(rule)}: ${ruleSummary(rule)}`;
}

function Change({ e }: { e: AuditEntry }) {
  const before = obj(e.before);
  const after = obj(e.after);
  const parts = [];
  if (Array.isArray(before?.rules) && Array.isArray(after?.rules)) parts.push(<RuleDiffView key="rules" diff={diffRules(before.rules as Rule[], after.rules as Rule[])} />);
  if (obj(before?.lexicon) && obj(after?.lexicon)) parts.push(<LexiconDiffView key="lexicon" diff={diffLexicon(before!.lexicon as Lexicon, after!.lexicon as Lexicon)} />);
  const b = placed(before);
  const a = placed(after);
  if (b || a) {
    parts.push(
      <dl key="rule" class="audit-rule">
        {b && <div><dt>Before</dt><dd>{b}</dd></div>}
        {a && <div><dt>After</dt><dd>{a}</dd></div>}
      </dl>,
    );
  }
  if (parts.length === 0) {
    const text = JSON.stringify({ before: e.before, after: e.after }, null, 2);
    parts.push(<pre key="raw" class="audit-raw">{text.length > 4000 ? `${text.slice(0, 4000)}…` : text}</pre>);
  }
  return <>{parts}</>;
}

export function AuditPanel({ liveVersion, nameOf }: { liveVersion: number; nameOf: NameOf }) {
  const load = useCallback((cursor: number | null) => rulesApi.audit(cursor), []);
  const audit = usePaged(load, liveVersion);
  const id = useId();
  return (
    <section class="panel audit" aria-labelledby={id}>
      <h2 id={id} class="panel-title">Audit log</h2>
      {audit.error && <p class="form-error" role="alert">{audit.error}</p>}
      <ol class="audit-list" aria-label="Changes, newest first">
        {audit.items.map((e) => (
          <li key={e.id} class="audit-row">
            <div>
              <strong>{nameOf(e.actor)}</strong> <span class="muted">({e.actorRole})</span> {ACTIONS[e.action] ?? e.action}
              {e.target ? <> <code>{e.target}</code></> : null}
              <span class="muted"> · version {e.version} · <time dateTime={e.at}>{whenLong(e.at)}</time></span>
            </div>
            <details>
              <summary>What changed<span class="visually-hidden"> in version {e.version}</span></summary>
              <Change e={e} />
            </details>
          </li>
        ))}
      </ol>
      {audit.items.length === 0 && !audit.loading && !audit.error && <p class="muted">No changes recorded yet.</p>}
      {audit.hasMore && <button type="button" class="btn small" disabled={audit.loading} onClick={() => void audit.more()}>Older entries</button>}
    </section>
  );
}
