/**
 * The rule editor's controls as plain text and choices, to and from a rule, with the checks that need no
 * server (the gateway checks the rest and names the field).
 */
import type { ConditionCaseState, ConditionChannel, NumberRange, Priority, Rule, RuleActions, RuleConditions, RuleProblem } from './rules-types.ts';

type Tri = '' | 'yes' | 'no';

export interface RuleForm {
  id: string;
  name: string;
  enabled: boolean;
  channel: string[];
  keywords: string;
  pattern: string;
  flags: string[];
  category: string[];
  sentimentBelow: string;
  sentimentAbove: string;
  frustrated: Tri;
  urgencyMin: string;
  urgencyMax: string;
  tier: string;
  vip: Tri;
  emailDomain: string;
  accountName: string;
  known: Tri;
  businessHours: '' | 'inside' | 'outside';
  isNew: Tri;
  caseState: string[];
  casePriorityMin: string;
  casePriorityMax: string;
  caseTags: string;
  inboundMin: string;
  inboundMax: string;
  queue: string;
  priority: string;
  setCategory: string;
  tags: string;
  skills: string;
  template: string;
}

export const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const RESERVED = new Set(['simulate', 'versions', 'audit', 'hits', 'replay']);

const tri = (v: boolean | undefined): Tri => (v === undefined ? '' : v ? 'yes' : 'no');
const fromTri = (v: Tri): boolean | undefined => (v === '' ? undefined : v === 'yes');
const num = (v: number | undefined): string => (v === undefined ? '' : String(v));
const joined = (xs: readonly string[] | undefined, sep = ', '): string => (xs ?? []).join(sep);

/** "a, b\nc" → ["a", "b", "c"] */
export function splitList(text: string, lines = false): string[] {
  return text.split(lines ? /[\n,]/u : /,/u).map((s) => s.trim()).filter(Boolean);
}

export function emptyForm(id = ''): RuleForm {
  return formOf({ id, when: {}, then: {} });
}

export function formOf(r: Rule): RuleForm {
  const w = r.when;
  const t = r.then;
  return {
    id: r.id,
    name: r.name ?? '',
    enabled: r.enabled !== false,
    channel: w.channel ?? [],
    keywords: joined(w.keywords, '\n'),
    pattern: w.matches?.pattern ?? '',
    flags: [...(w.matches?.flags ?? '')],
    category: w.category ?? [],
    sentimentBelow: num(w.sentiment?.below),
    sentimentAbove: num(w.sentiment?.above),
    frustrated: tri(w.frustrated),
    urgencyMin: num(w.urgency?.atLeast),
    urgencyMax: num(w.urgency?.atMost),
    tier: joined(w.contact?.tier),
    vip: tri(w.contact?.vip),
    emailDomain: joined(w.contact?.emailDomain),
    accountName: joined(w.contact?.accountName),
    known: tri(w.contact?.known),
    businessHours: w.businessHours ?? '',
    isNew: tri(w.case?.isNew),
    caseState: w.case?.state ?? [],
    casePriorityMin: num(w.case?.priority?.atLeast),
    casePriorityMax: num(w.case?.priority?.atMost),
    caseTags: joined(w.case?.tags),
    inboundMin: num(w.case?.inboundCount?.atLeast),
    inboundMax: num(w.case?.inboundCount?.atMost),
    queue: t.queue ?? '',
    priority: num(t.priority),
    setCategory: t.category ?? '',
    tags: joined(t.tags),
    skills: joined(t.requiredSkills),
    template: t.autoReplyTemplate ?? '',
  };
}

/** Problems found here carry the same paths the gateway uses, so both show at the same field. */
export function checkForm(f: RuleForm, others: readonly Rule[]): RuleProblem[] {
  const out: RuleProblem[] = [];
  const id = f.id.trim();
  if (!id) out.push({ path: 'id', message: 'is required' });
  else if (!RULE_ID.test(id)) out.push({ path: 'id', message: 'may hold only letters, digits and _ . : - (starting with a letter or digit), up to 100' });
  else if (RESERVED.has(id)) out.push({ path: 'id', message: `"${id}" is reserved by the rules API` });
  else if (others.some((r) => r.id === id)) out.push({ path: 'id', message: `another rule is already called "${id}"` });
  const numberIn = (v: string, path: string, min: number, max: number, integer = false) => {
    if (v.trim() === '') return;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) out.push({ path, message: `must be ${integer ? 'a whole number' : 'a number'} between ${min} and ${max}` });
  };
  const range = (lo: string, hi: string, path: string, min: number, max: number, integer = false) => {
    numberIn(lo, `${path}.atLeast`, min, max, integer);
    numberIn(hi, `${path}.atMost`, min, max, integer);
    if (lo.trim() && hi.trim() && Number(lo) > Number(hi)) out.push({ path, message: 'the least must not exceed the most' });
  };
  numberIn(f.sentimentBelow, 'when.sentiment.below', -1, 1);
  numberIn(f.sentimentAbove, 'when.sentiment.above', -1, 1);
  range(f.urgencyMin, f.urgencyMax, 'when.urgency', 0, 1000);
  range(f.casePriorityMin, f.casePriorityMax, 'when.case.priority', 1, 4, true);
  range(f.inboundMin, f.inboundMax, 'when.case.inboundCount', 0, 1_000_000, true);
  if (!f.pattern.trim() && f.flags.length) out.push({ path: 'when.matches.pattern', message: 'is needed for the flags to apply' });
  const t = toRule(f).then;
  if (Object.keys(t).length === 0) out.push({ path: 'then', message: 'choose at least one action' });
  return out;
}

function rangeOf(lo: string, hi: string): NumberRange | undefined {
  const r: NumberRange = {};
  if (lo.trim()) r.atLeast = Number(lo);
  if (hi.trim()) r.atMost = Number(hi);
  return Object.keys(r).length ? r : undefined;
}

/** drops the keys left unset, so an empty control never becomes a condition */
function compact<T extends object>(o: T): T | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
  return Object.keys(out).length ? (out as T) : undefined;
}

export function toRule(f: RuleForm): Rule {
  const when = compact<RuleConditions>({
    channel: f.channel as ConditionChannel[],
    keywords: splitList(f.keywords, true),
    matches: f.pattern.trim() ? { pattern: f.pattern, ...(f.flags.length ? { flags: f.flags.join('') } : {}) } : undefined,
    category: f.category,
    sentiment: compact({
      below: f.sentimentBelow.trim() ? Number(f.sentimentBelow) : undefined,
      above: f.sentimentAbove.trim() ? Number(f.sentimentAbove) : undefined,
    }),
    frustrated: fromTri(f.frustrated),
    urgency: rangeOf(f.urgencyMin, f.urgencyMax),
    contact: compact({
      tier: splitList(f.tier),
      vip: fromTri(f.vip),
      emailDomain: splitList(f.emailDomain),
      accountName: splitList(f.accountName),
      known: fromTri(f.known),
    }),
    businessHours: f.businessHours || undefined,
    case: compact({
      isNew: fromTri(f.isNew),
      state: f.caseState as ConditionCaseState[],
      priority: rangeOf(f.casePriorityMin, f.casePriorityMax),
      tags: splitList(f.caseTags),
      inboundCount: rangeOf(f.inboundMin, f.inboundMax),
    }),
  }) ?? {};
  const then = compact<RuleActions>({
    queue: f.queue || undefined,
    priority: f.priority ? (Number(f.priority) as Priority) : undefined,
    category: f.setCategory || undefined,
    tags: splitList(f.tags),
    requiredSkills: splitList(f.skills),
    autoReplyTemplate: f.template || undefined,
  }) ?? {};
  return {
    id: f.id.trim(),
    ...(f.name.trim() ? { name: f.name.trim() } : {}),
    ...(f.enabled ? {} : { enabled: false }),
    when,
    then,
  };
}

/** a rule id from its name: "Refunds to Billing" → "refunds-to-billing" */
export function slug(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/gu, '-').replace(/^-+|-+$/gu, '').slice(0, 60) || 'rule';
}
