/**
 * The rules in the order they are tried. Each row: its place, name, what it does, whether it is on, how
 * often it matched, and (for admins) its actions. Reordering: the Move up / Move down buttons, Alt+Arrow
 * keys on a focused row, or dragging a row.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { RuleHits } from './rule-hits.tsx';
import { ruleLabel, ruleSummary } from './rule-summary.ts';
import { same } from './rule-diff.ts';
import type { Rule } from './rules-types.ts';
import type { Hits } from './use-rules-document.ts';

interface Props {
  rules: readonly Rule[];
  live: readonly Rule[];
  hits: Hits;
  readOnly: boolean;
  onEdit(rule: Rule): void;
  onDuplicate(rule: Rule): void;
  onToggle(rule: Rule): void;
  onDelete(rule: Rule): void;
  onMove(rule: Rule, to: number): void;
}

type Focus = { id: string; on: 'up' | 'down' | 'row' };

function ruleState(rule: Rule, index: number, live: readonly Rule[]): string[] {
  const at = live.findIndex((r) => r.id === rule.id);
  if (at === -1) return ['New'];
  const out: string[] = [];
  if (!same(live[at], rule)) out.push('Changed');
  if (at !== index) out.push('Moved');
  return out;
}

export function RuleList({ rules, live, hits, readOnly, onEdit, onDuplicate, onToggle, onDelete, onMove }: Props) {
  const listRef = useRef<HTMLOListElement>(null);
  const [focus, setFocus] = useState<Focus | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropAt, setDropAt] = useState<number | null>(null);

  // a moved row is a moved DOM node: the focus goes back to the control that moved it (or the row, at an end)
  useEffect(() => {
    if (!focus) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-rule-id="${CSS.escape(focus.id)}"]`);
    const button = focus.on === 'row' ? null : row?.querySelector<HTMLButtonElement>(`[data-move="${focus.on}"]`);
    (button && !button.disabled ? button : row)?.focus();
    setFocus(null);
  }, [focus, rules]);

  const move = (rule: Rule, from: number, to: number, on: Focus['on']) => {
    if (to < 0 || to >= rules.length || to === from) return;
    onMove(rule, to);
    setFocus({ id: rule.id, on });
  };

  function onRowKey(e: KeyboardEvent, rule: Rule, index: number) {
    if (readOnly || !e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(rule, index, e.key === 'ArrowUp' ? index - 1 : index + 1, e.target === e.currentTarget ? 'row' : e.key === 'ArrowUp' ? 'up' : 'down');
  }

  function onDrop(e: DragEvent, index: number) {
    e.preventDefault();
    const id = dragging ?? e.dataTransfer?.getData('text/plain');
    const from = rules.findIndex((r) => r.id === id);
    const target = dropAt ?? index;
    setDragging(null);
    setDropAt(null);
    if (from === -1) return;
    // dropAt is a gap (0…n); removing the row first shifts the gaps after it by one
    const to = target > from ? target - 1 : target;
    move(rules[from]!, from, to, 'row');
  }

  if (rules.length === 0) return <p class="muted">No rules: every message goes to General.</p>;
  return (
    <>
      {!readOnly && (
        <p id="rule-order-hint" class="muted small">
          Rules are tried from the top; the first that sets a queue wins it. Reorder with Move up and Move down, Alt+Arrow keys on a focused row, or by dragging a row.
        </p>
      )}
      <ol ref={listRef} class="rule-list" aria-label="Rules in order">
        {rules.map((rule, i) => {
          const label = ruleLabel(rule);
          const states = ruleState(rule, i, live);
          const disabled = rule.enabled === false;
          return (
            <li
              key={rule.id}
              data-rule-id={rule.id}
              class={`rule-row${disabled ? ' disabled' : ''}${dragging === rule.id ? ' dragging' : ''}${dropAt === i ? ' drop-before' : ''}${dropAt === i + 1 && i === rules.length - 1 ? ' drop-after' : ''}`}
              tabIndex={readOnly ? undefined : 0}
              aria-label={`${i + 1}. ${label}`}
              aria-describedby={readOnly ? undefined : 'rule-order-hint'}
              draggable={!readOnly}
              onKeyDown={(e) => onRowKey(e, rule, i)}
              onDragStart={(e) => {
                setDragging(rule.id);
                e.dataTransfer?.setData('text/plain', rule.id);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
              }}
              onDragEnd={() => { setDragging(null); setDropAt(null); }}
              onDragOver={(e) => {
                if (!dragging) return;
                e.preventDefault();
                const box = e.currentTarget.getBoundingClientRect();
                setDropAt(e.clientY < box.top + box.height / 2 ? i : i + 1);
              }}
              onDrop={(e) => onDrop(e, i)}
            >
              <span class="rule-pos" aria-hidden="true">{i + 1}</span>
              <div class="rule-main">
                <div class="rule-title">
                  <span class="rule-name">{label}</span>
                  {rule.name && <code class="rule-id">{rule.id}</code>}
                  <span class={`badge ${disabled ? 'rule-off' : 'rule-on'}`}>{disabled ? 'Disabled' : 'Enabled'}</span>
                  {states.map((s) => <span key={s} class="badge rule-draft-state">{s}</span>)}
                </div>
                <p class="rule-summary">{ruleSummary(rule)}</p>
                <RuleHits hits={hits} ruleId={rule.id} isNew={states.includes('New')} />
              </div>
              {!readOnly && (
                <div class="rule-actions" role="group" aria-label={`Actions for ${label}`}>
                  <button type="button" class="btn small" onClick={() => onEdit(rule)}>Edit<span class="visually-hidden"> {label}</span></button>
                  <button type="button" class="btn small" onClick={() => onDuplicate(rule)}>Duplicate<span class="visually-hidden"> {label}</span></button>
                  <button type="button" class="btn small" onClick={() => onToggle(rule)}>
                    {disabled ? 'Enable' : 'Disable'}<span class="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" class="btn small" onClick={() => onDelete(rule)}>Delete<span class="visually-hidden"> {label}</span></button>
                  <button type="button" class="btn small" data-move="up" disabled={i === 0} onClick={() => move(rule, i, i - 1, 'up')}>
                    <span aria-hidden="true">↑ </span>Move up<span class="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" class="btn small" data-move="down" disabled={i === rules.length - 1} onClick={() => move(rule, i, i + 1, 'down')}>
                    <span aria-hidden="true">↓ </span>Move down<span class="visually-hidden"> {label}</span>
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </>
  );
}
