/** What a draft changes against the live rules (or one version against another): rules added, removed, moved, changed. */
import { rangeText, ruleLabel } from './rule-summary.ts';
import type { NumberRange, Rule } from './rules-types.ts';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}

export interface RuleDiff {
  added: { rule: Rule; position: number }[];
  removed: { rule: Rule; position: number }[];
  moved: { rule: Rule; from: number; to: number }[];
  changed: { rule: Rule; fields: FieldChange[] }[];
}

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  enabled: 'Enabled',
  'when.channel': 'Channel',
  'when.keywords': 'Keywords',
  'when.matches': 'Pattern',
  'when.category': 'Category',
  'when.sentiment': 'Sentiment',
  'when.frustrated': 'Frustrated',
  'when.urgency': 'Urgency',
  'when.contact': 'Contact',
  'when.businessHours': 'Business hours',
  'when.case': 'Case',
  'then.queue': 'Queue',
  'then.priority': 'Priority',
  'then.category': 'Set category',
  'then.tags': 'Tags',
  'then.requiredSkills': 'Required skills',
  'then.autoReplyTemplate': 'Auto-reply',
};

export const fieldLabel = (path: string): string => FIELD_LABELS[path] ?? path;

function isRange(v: object): v is NumberRange {
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k === 'atLeast' || k === 'atMost');
}

/** a value as words: lists joined, ranges as ≥/≤, objects as key: value */
export function valueText(v: unknown): string {
  if (v === undefined) return '—';
  if (Array.isArray(v)) return v.map(valueText).join(', ');
  if (v && typeof v === 'object') {
    if (isRange(v)) return rangeText(v);
    if ('pattern' in v) {
      const m = v as { pattern: string; flags?: string };
      return `/${m.pattern}/${m.flags ?? ''}`;
    }
    return Object.entries(v).map(([k, x]) => `${k}: ${valueText(x)}`).join('; ');
  }
  if (v === true) return 'yes';
  if (v === false) return 'no';
  return String(v);
}

/** JSON with object keys sorted, and a rule's default `enabled: true` left out: equal content, equal text */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (key, x: unknown) => {
    if (key === 'enabled' && x === true) return undefined;
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      return Object.fromEntries(Object.keys(x).sort().map((k) => [k, (x as Record<string, unknown>)[k]]));
    }
    return x;
  });
}

export const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

function fieldChanges(before: Rule, after: Rule): FieldChange[] {
  const out: FieldChange[] = [];
  if ((before.name ?? '') !== (after.name ?? '')) out.push({ field: 'Name', before: before.name || '—', after: after.name || '—' });
  if ((before.enabled !== false) !== (after.enabled !== false)) {
    out.push({ field: 'Enabled', before: valueText(before.enabled !== false), after: valueText(after.enabled !== false) });
  }
  for (const part of ['when', 'then'] as const) {
    const b = before[part] as Record<string, unknown>;
    const a = after[part] as Record<string, unknown>;
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (!same(b[key], a[key])) out.push({ field: fieldLabel(`${part}.${key}`), before: valueText(b[key]), after: valueText(a[key]) });
    }
  }
  return out;
}

/** indices (into `seq`) of one longest increasing run: the rules that kept their relative order */
function longestIncreasing(seq: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(seq.length).fill(-1);
  seq.forEach((v, i) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  });
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i !== -1; i = prev[i]!) keep.add(i);
  return keep;
}

export function diffRules(before: readonly Rule[], after: readonly Rule[]): RuleDiff {
  const beforeAt = new Map(before.map((r, i) => [r.id, i]));
  const afterAt = new Map(after.map((r, i) => [r.id, i]));
  const added = after.flatMap((rule, i) => (beforeAt.has(rule.id) ? [] : [{ rule, position: i + 1 }]));
  const removed = before.flatMap((rule, i) => (afterAt.has(rule.id) ? [] : [{ rule, position: i + 1 }]));
  const common = after.filter((r) => beforeAt.has(r.id));
  const kept = longestIncreasing(common.map((r) => beforeAt.get(r.id)!));
  const moved = common.flatMap((rule, i) => (kept.has(i) ? [] : [{ rule, from: beforeAt.get(rule.id)! + 1, to: afterAt.get(rule.id)! + 1 }]));
  const changed = common.flatMap((rule) => {
    const fields = fieldChanges(before[beforeAt.get(rule.id)!]!, rule);
    return fields.length ? [{ rule, fields }] : [];
  });
  return { added, removed, moved, changed };
}

export const diffIsEmpty = (d: RuleDiff): boolean => !d.added.length && !d.removed.length && !d.moved.length && !d.changed.length;

export { ruleLabel };
