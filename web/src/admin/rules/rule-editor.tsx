/**
 * The rule editor: name, state, conditions and actions of one rule. "Add to draft" checks what needs no
 * server here, then has the gateway validate the whole draft with the rule in it (nothing is saved) and
 * shows each problem at the field it names; only a rule the gateway accepts goes into the draft.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../../api-client.ts';
import { Modal } from '../../modal.tsx';
import { ActionFields, ACTION_FIELDS } from './action-fields.tsx';
import { ConditionFields, CONDITION_FIELDS } from './condition-fields.tsx';
import { fileProblems, relativeTo, type ProblemsByField } from './field-problems.ts';
import { SelectControl, TextControl } from './form-controls.tsx';
import { checkForm, slug, toRule, type RuleForm } from './rule-form.ts';
import { ruleLabel } from './rule-summary.ts';
import { rulesApi } from './rules-api.ts';
import { problemsOf } from './rules-http.ts';
import type { Rule, RuleProblem } from './rules-types.ts';
import { uniqueId } from './use-rule-draft.ts';

const FIELDS = ['$', 'id', 'name', 'enabled', ...CONDITION_FIELDS, ...ACTION_FIELDS];

export interface EditorTarget {
  title: string;
  form: RuleForm;
  /** the rule being changed; absent: a new rule */
  id?: string;
  /** where a new rule goes */
  position: number;
}

interface Props {
  target: EditorTarget;
  rules: readonly Rule[];
  queues: readonly string[];
  categories: readonly string[];
  templates: Record<string, string>;
  csrf: string;
  onDone(rule: Rule, position: number): void;
  onClose(): void;
}

function positionOptions(rules: readonly Rule[]): [string, string][] {
  return [
    ...rules.map((r, i): [string, string] => [String(i), `${i + 1}: before “${ruleLabel(r)}”`]),
    [String(rules.length), `${rules.length + 1}: at the end`],
  ];
}

export function RuleEditor({ target, rules, queues, categories, templates, csrf, onDone, onClose }: Props) {
  const [form, setForm] = useState<RuleForm>(target.form);
  const [position, setPosition] = useState(target.position);
  const [idTouched, setIdTouched] = useState(target.id !== undefined || target.form.id !== '');
  const [problems, setProblems] = useState<ProblemsByField>(new Map());
  const [elsewhere, setElsewhere] = useState<RuleProblem[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const isNew = target.id === undefined;
  const others = rules.filter((r) => r.id !== target.id);

  const set = (patch: Partial<RuleForm>) =>
    setForm((f) => {
      const next = { ...f, ...patch };
      if (isNew && !idTouched && patch.name !== undefined) next.id = uniqueId(slug(patch.name), others);
      return next;
    });

  // the first field a check named gets the focus, so its message is read with it
  useEffect(() => {
    if (problems.size === 0) return;
    const first = formRef.current?.querySelector('.field-problem');
    const holder = first?.closest('.field, fieldset') ?? first?.parentElement;
    holder?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, [problems]);

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    setElsewhere([]);
    const local = checkForm(form, others);
    if (local.length) {
      setProblems(fileProblems(local, FIELDS));
      return;
    }
    const rule = toRule(form);
    const candidate = [...rules];
    const at = isNew ? position : candidate.findIndex((r) => r.id === target.id);
    if (isNew) candidate.splice(at, 0, rule);
    else candidate[at] = rule;
    setBusy(true);
    try {
      await rulesApi.check({ rules: candidate }, csrf);
    } catch (err) {
      const found = problemsOf(err);
      if (found.length) {
        const { own, others: rest } = relativeTo(found, at);
        if (own.length) {
          setProblems(fileProblems(own, FIELDS));
          setElsewhere(rest);
          setBusy(false);
          return;
        }
      } else if (!(err instanceof ApiError && err.status === 404)) {
        // a gateway without the replay cannot check: the save will
        setFailure(`The rule could not be checked: ${errorMessage(err)}`);
        setBusy(false);
        return;
      }
    }
    setBusy(false);
    setProblems(new Map());
    onDone(rule, at);
  }

  const general = problems.get('') ?? [];
  const ruleLevel = problems.get('$') ?? [];
  return (
    <Modal title={target.title} class="rule-editor-dialog" onClose={onClose}>
      <form ref={formRef} class="rule-editor" onSubmit={(e) => void submit(e)} noValidate>
        {(general.length > 0 || ruleLevel.length > 0) && (
          <div class="form-error" role="alert">
            <p>The gateway refused the rule:</p>
            <ul>{[...ruleLevel, ...general].map((m, i) => <li key={i}>{m}</li>)}</ul>
          </div>
        )}
        <fieldset class="editor-group">
          <legend>The rule</legend>
          <div class="editor-row">
            <TextControl label="Name" class="grow" value={form.name} onInput={(name) => set({ name })} problems={problems.get('name')} />
            <TextControl label="Rule ID" value={form.id} readOnly={!isNew} problems={problems.get('id')}
              hint={isNew ? 'Letters, digits and _ . : -; fixed once saved.' : 'Fixed once saved.'}
              onInput={(id) => { setIdTouched(true); set({ id }); }} />
          </div>
          <div class="editor-row">
            <label class="toggle">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
              Enabled
            </label>
            {isNew && (
              <SelectControl label="Position" value={String(position)} options={positionOptions(rules)} onChange={(v) => setPosition(Number(v))} />
            )}
          </div>
        </fieldset>
        <ConditionFields form={form} set={set} problems={problems} categories={categories} />
        <ActionFields form={form} set={set} problems={problems} queues={queues} categories={categories} templates={templates} />
        {elsewhere.length > 0 && (
          <div class="form-error">
            <p>Other rules of the draft have problems too:</p>
            <ul>{elsewhere.map((p, i) => <li key={i}><code>{p.path}</code>: {p.message}</li>)}</ul>
          </div>
        )}
        {failure && <p class="form-error" role="alert">{failure}</p>}
        <div class="form-actions editor-actions">
          <button type="submit" class="btn primary" disabled={busy}>{busy ? 'Checking…' : isNew ? 'Add to draft' : 'Update draft'}</button>
          <button type="button" class="btn" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
