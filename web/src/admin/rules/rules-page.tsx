/**
 * #/admin/rules: the routing rules in order, edited as a draft (the live rules stay as they are until the
 * draft is reviewed and saved as one version), the draft's impact on stored messages, a simulator, the
 * versions and the audit log. Supervisors see everything but the controls that change something.
 */
import { useMemo, useState } from 'preact/hooks';
import type { SectionProps } from '../admin-app.tsx';
import { AuditPanel } from './audit-panel.tsx';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { DraftBar } from './draft-bar.tsx';
import { diffRules } from './rule-diff.ts';
import { RuleDiffView } from './rule-diff-view.tsx';
import { RuleEditor, type EditorTarget } from './rule-editor.tsx';
import { emptyForm, formOf } from './rule-form.ts';
import { RuleList } from './rule-list.tsx';
import { ruleLabel } from './rule-summary.ts';
import { rulesApi } from './rules-api.ts';
import type { Rule, RuleDocument } from './rules-types.ts';
import { ReplayPanel } from './replay-panel.tsx';
import { ReviewDialog } from './review-dialog.tsx';
import { Simulator } from './simulator.tsx';
import { canonical } from './rule-diff.ts';
import { defaultPosition, uniqueId, useRuleDraft } from './use-rule-draft.ts';
import { useLeaveWarning } from './use-leave-warning.ts';
import { useAgentNames } from './use-agent-names.ts';
import { useRulesDocument, type Hits } from './use-rules-document.ts';
import { VersionLine } from './version-line.tsx';
import { VersionsPanel } from './versions-panel.tsx';
import './rules.css';

export function RulesPage({ session, readOnly }: SectionProps) {
  const live = useRulesDocument();
  if (!live.doc) {
    return (
      <div class="rules-page">
        <h1>Routing rules</h1>
        {live.error ? <p class="form-error" role="alert">{live.error}</p> : <p role="status">Loading the rules…</p>}
      </div>
    );
  }
  return (
    <RulesWorkspace doc={live.doc} queues={live.queues} hits={live.hits} csrf={session.csrfToken} readOnly={readOnly}
      reload={live.reload} adopt={(d) => { live.adopt(d); void live.reload(); }} />
  );
}

interface WorkspaceProps {
  doc: RuleDocument;
  queues: string[];
  hits: Hits;
  csrf: string;
  readOnly: boolean;
  reload(): Promise<RuleDocument | null>;
  adopt(doc: RuleDocument): void;
}

type Dialog =
  | { kind: 'edit'; target: EditorTarget }
  | { kind: 'delete'; rule: Rule }
  | { kind: 'review' }
  | { kind: 'discard' };

function RulesWorkspace({ doc, queues, hits, csrf, readOnly, reload, adopt }: WorkspaceProps) {
  const draft = useRuleDraft(doc.rules);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [said, say] = useState('');
  const nameOf = useAgentNames();
  const categories = useMemo(() => Object.keys(doc.lexicon.categories), [doc.lexicon]);
  const draftKey = useMemo(() => canonical(draft.rules), [draft.rules]);
  useLeaveWarning(draft.dirty);

  const close = () => setDialog(null);
  const edit = (target: EditorTarget) => setDialog({ kind: 'edit', target });

  return (
    <div class="rules-page">
      <div class="page-head">
        <h1>Routing rules</h1>
        <VersionLine doc={doc} nameOf={nameOf} />
        {readOnly && <p class="muted">You can see the rules, their matches, versions and audit log; only admins change them.</p>}
      </div>
      <p class="visually-hidden" role="status">{said}</p>

      {!readOnly && (
        <>
          <DraftBar dirty={draft.dirty} onReview={() => setDialog({ kind: 'review' })} onDiscard={() => setDialog({ kind: 'discard' })}>
            <button type="button" class="btn" onClick={() => edit({ title: 'New rule', form: emptyForm(), position: defaultPosition(draft.rules) })}>
              New rule
            </button>
          </DraftBar>
          <ReplayPanel draft={{ rules: draft.rules }} draftKey={draftKey} liveVersion={doc.version} csrf={csrf} />
        </>
      )}

      <section class="panel" aria-labelledby="rule-list-title">
        <h2 id="rule-list-title" class="panel-title">{readOnly ? 'Rules' : 'Rules in the draft'} ({draft.rules.length})</h2>
        <RuleList
          rules={draft.rules}
          live={doc.rules}
          hits={hits}
          readOnly={readOnly}
          onEdit={(rule) => edit({ title: `Edit rule ${ruleLabel(rule)}`, form: formOf(rule), id: rule.id, position: 0 })}
          onDuplicate={(rule) => {
            const id = uniqueId(`${rule.id}-copy`, draft.rules);
            edit({
              title: `Duplicate rule ${ruleLabel(rule)}`,
              form: { ...formOf(structuredClone(rule)), id, name: `${ruleLabel(rule)} (copy)` },
              position: draft.rules.findIndex((r) => r.id === rule.id) + 1,
            });
          }}
          onToggle={(rule) => {
            const on = rule.enabled === false;
            draft.setEnabled(rule.id, on);
            say(`${ruleLabel(rule)} ${on ? 'enabled' : 'disabled'} in the draft`);
          }}
          onDelete={(rule) => setDialog({ kind: 'delete', rule })}
          onMove={(rule, to) => {
            draft.move(rule.id, to);
            say(`${ruleLabel(rule)} moved to position ${to + 1} of ${draft.rules.length}`);
          }}
        />
      </section>

      <Simulator />
      <VersionsPanel live={doc} readOnly={readOnly} dirty={draft.dirty} nameOf={nameOf} onRestored={(d) => {
        draft.discard();
        adopt(d);
        say(`The rules of an earlier version are in force again, as version ${d.version}`);
      }} />
      <AuditPanel liveVersion={doc.version} nameOf={nameOf} />

      {dialog?.kind === 'edit' && (
        <RuleEditor
          target={dialog.target}
          rules={draft.rules}
          queues={queues}
          categories={categories}
          templates={doc.templates}
          csrf={csrf}
          onClose={close}
          onDone={(rule, position) => {
            if (dialog.target.id === undefined) draft.insert(rule, position);
            else draft.replace(dialog.target.id, rule);
            close();
            say(`${ruleLabel(rule)} ${dialog.target.id === undefined ? 'added to' : 'updated in'} the draft`);
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog title={`Delete rule ${ruleLabel(dialog.rule)}?`} confirm="Delete rule" onClose={close}
          onConfirm={() => { draft.remove(dialog.rule.id); close(); say(`${ruleLabel(dialog.rule)} deleted from the draft`); }}>
          <p>The rule leaves the draft; the live rules keep it until you save.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'discard' && (
        <ConfirmDialog title="Discard the draft?" confirm="Discard changes" onClose={close}
          onConfirm={() => { draft.discard(); close(); say('Draft discarded'); }}>
          <p>Every unsaved change is lost; the draft becomes version {doc.version} again.</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'review' && (
        <ReviewDialog
          title="Review and save the rules"
          baseVersion={doc.version}
          onClose={close}
          describePath={(path) => path.replace(/^rules\[(\d+)\]\.?/u, (all, i: string) => {
            const rule = draft.rules[Number(i)];
            return rule ? `Rule “${ruleLabel(rule)}” ` : all;
          })}
          onRefresh={async () => {
            const newer = await reload();
            if (newer) draft.rebase(newer.rules);
          }}
          save={async () => {
            const saved = await rulesApi.saveParts({ rules: draft.rules }, doc.version, csrf);
            draft.discard();
            adopt(saved);
            close();
            say(`Saved as version ${saved.version}`);
          }}
        >
          <RuleDiffView diff={diffRules(doc.rules, draft.rules)} />
        </ReviewDialog>
      )}
    </div>
  );
}
