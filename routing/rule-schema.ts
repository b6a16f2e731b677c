/**
 * Validates a routing configuration written by an admin: rules, lexicon, templates, business hours, and
 * the references between them (a rule's template, queue and categories must exist). Nothing is coerced:
 * an unknown key or a wrong type is an error with the exact path ("rules[3].when.sentiment.below: must be
 * a number between -1 and 1"), so a typo can never turn a rule into a catch-all.
 */
import { isMatchableTerm, type Lexicon } from '../nlp/keyword-matcher.ts';
import { CHANNEL_NAMES, type ChannelName } from '../channels/channel.types.ts';
import { regexProblem } from './regex-safety.ts';
import type { Rule, RoutingConfig } from './rule.types.ts';
import { CASE_STATES } from './case-state.ts';

export interface ValidationError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; rules: Rule[] } | { ok: false; errors: ValidationError[] };
export type ConfigValidationResult = { ok: true; config: RoutingConfig } | { ok: false; errors: ValidationError[] };

/** Rule ids appear in URLs (/api/v1/rules/:id), so they (and template names) are kept to URL-safe characters. */
export const RULE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
/** names the rules API uses for itself under /api/v1/rules/ */
// the paths beside /api/v1/rules/:id that a rule's id would hide
const RESERVED_RULE_IDS = new Set(['simulate', 'versions', 'audit', 'hits', 'replay']);
const MAX_TEMPLATES = 200;
const MAX_TEMPLATE_TEXT = 5000;
const MAX_CATEGORIES = 100;
const MAX_TERMS = 5000;
const MAX_WEIGHT = 100;

export const MAX_RULES = 20_000;
const MAX_LIST = 500;
const MAX_STRING = 200;
const CHANNELS: readonly ChannelName[] = CHANNEL_NAMES;

type Obj = Record<string, unknown>;

/** `a.b` for plain names, `a["Orders & Delivery"]` for the rest, so every path can be read back. */
function keyPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

class Checker {
  readonly errors: ValidationError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  object(v: unknown, path: string, allowed: readonly string[]): Obj | null {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(path, 'must be an object');
      return null;
    }
    for (const key of Object.keys(v)) {
      if (!allowed.includes(key)) this.fail(`${path}.${key}`, `unknown key (allowed: ${allowed.join(', ')})`);
    }
    return v as Obj;
  }

  /** an object with free keys (a map) */
  record(v: unknown, path: string): Obj | null {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      this.fail(path, 'must be an object');
      return null;
    }
    return v as Obj;
  }

  string(v: unknown, path: string, max = MAX_STRING): boolean {
    if (typeof v !== 'string' || v.trim().length === 0 || v.length > max) {
      this.fail(path, `must be a non-empty string of at most ${max} characters`);
      return false;
    }
    return true;
  }

  stringList(v: unknown, path: string, check?: (s: string, p: string) => void): void {
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST) {
      this.fail(path, `must be a list of 1 to ${MAX_LIST} strings`);
      return;
    }
    v.forEach((s, i) => {
      if (this.string(s, `${path}[${i}]`) && check) check(s as string, `${path}[${i}]`);
    });
  }

  oneOf(v: unknown, path: string, values: readonly string[]): void {
    if (typeof v !== 'string' || !values.includes(v)) this.fail(path, `must be one of ${values.join(', ')}`);
  }

  boolean(v: unknown, path: string): void {
    if (typeof v !== 'boolean') this.fail(path, 'must be true or false');
  }

  number(v: unknown, path: string, min: number, max: number): void {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      this.fail(path, `must be a number between ${min} and ${max}`);
    }
  }

  range(v: unknown, path: string, min: number, max: number): void {
    const r = this.object(v, path, ['atLeast', 'atMost']);
    if (!r) return;
    if (r.atLeast === undefined && r.atMost === undefined) this.fail(path, 'needs atLeast or atMost');
    if (r.atLeast !== undefined) this.number(r.atLeast, `${path}.atLeast`, min, max);
    if (r.atMost !== undefined) this.number(r.atMost, `${path}.atMost`, min, max);
    if (typeof r.atLeast === 'number' && typeof r.atMost === 'number' && r.atLeast > r.atMost) {
      this.fail(path, 'atLeast must not exceed atMost');
    }
  }
}

function checkWhen(c: Checker, v: unknown, path: string): void {
  const w = c.object(v, path, [
    'channel', 'keywords', 'matches', 'category', 'sentiment', 'frustrated', 'urgency', 'contact',
    'businessHours', 'case',
  ]);
  if (!w) return;
  if (w.channel !== undefined) c.stringList(w.channel, `${path}.channel`, (s, p) => c.oneOf(s, p, CHANNELS));
  if (w.keywords !== undefined) {
    c.stringList(w.keywords, `${path}.keywords`, (s, p) => {
      if (!isMatchableTerm(s)) c.fail(p, 'must contain a word to match (not only small words or symbols)');
    });
  }
  if (w.matches !== undefined) {
    const m = c.object(w.matches, `${path}.matches`, ['pattern', 'flags']);
    if (m) {
      const flagsOk = m.flags === undefined || typeof m.flags === 'string';
      if (!flagsOk) c.fail(`${path}.matches.flags`, 'must be a string');
      if (typeof m.pattern !== 'string') c.fail(`${path}.matches.pattern`, 'must be a string');
      else if (flagsOk) {
        const problem = regexProblem(m.pattern, (m.flags as string | undefined) ?? '');
        if (problem) c.fail(`${path}.matches.${problem.field}`, problem.message);
      }
    }
  }
  if (w.category !== undefined) c.stringList(w.category, `${path}.category`);
  if (w.sentiment !== undefined) {
    const s = c.object(w.sentiment, `${path}.sentiment`, ['below', 'above']);
    if (s) {
      if (s.below === undefined && s.above === undefined) c.fail(`${path}.sentiment`, 'needs below or above');
      if (s.below !== undefined) c.number(s.below, `${path}.sentiment.below`, -1, 1);
      if (s.above !== undefined) c.number(s.above, `${path}.sentiment.above`, -1, 1);
    }
  }
  if (w.frustrated !== undefined) c.boolean(w.frustrated, `${path}.frustrated`);
  if (w.urgency !== undefined) c.range(w.urgency, `${path}.urgency`, 0, 1000);
  if (w.contact !== undefined) {
    const k = c.object(w.contact, `${path}.contact`, ['tier', 'vip', 'emailDomain', 'accountName', 'known']);
    if (k) {
      if (k.tier !== undefined) c.stringList(k.tier, `${path}.contact.tier`);
      if (k.vip !== undefined) c.boolean(k.vip, `${path}.contact.vip`);
      if (k.emailDomain !== undefined) c.stringList(k.emailDomain, `${path}.contact.emailDomain`);
      if (k.accountName !== undefined) c.stringList(k.accountName, `${path}.contact.accountName`);
      if (k.known !== undefined) c.boolean(k.known, `${path}.contact.known`);
    }
  }
  if (w.businessHours !== undefined) c.oneOf(w.businessHours, `${path}.businessHours`, ['inside', 'outside']);
  if (w.case !== undefined) {
    const k = c.object(w.case, `${path}.case`, ['state', 'isNew', 'priority', 'tags', 'inboundCount']);
    if (k) {
      if (k.state !== undefined) c.stringList(k.state, `${path}.case.state`, (s, p) => c.oneOf(s, p, CASE_STATES));
      if (k.isNew !== undefined) c.boolean(k.isNew, `${path}.case.isNew`);
      if (k.priority !== undefined) c.range(k.priority, `${path}.case.priority`, 1, 4);
      if (k.tags !== undefined) c.stringList(k.tags, `${path}.case.tags`);
      if (k.inboundCount !== undefined) c.range(k.inboundCount, `${path}.case.inboundCount`, 0, 1_000_000);
    }
  }
}

function checkThen(c: Checker, v: unknown, path: string): void {
  const t = c.object(v, path, ['queue', 'priority', 'category', 'tags', 'requiredSkills', 'autoReplyTemplate']);
  if (!t) return;
  if (Object.keys(t).length === 0) c.fail(path, 'needs at least one action');
  if (t.queue !== undefined) c.string(t.queue, `${path}.queue`);
  if (t.priority !== undefined && ![1, 2, 3, 4].includes(t.priority as number)) {
    c.fail(`${path}.priority`, 'must be 1, 2, 3 or 4');
  }
  if (t.category !== undefined) c.string(t.category, `${path}.category`);
  if (t.tags !== undefined) c.stringList(t.tags, `${path}.tags`);
  if (t.requiredSkills !== undefined) c.stringList(t.requiredSkills, `${path}.requiredSkills`);
  if (t.autoReplyTemplate !== undefined) c.string(t.autoReplyTemplate, `${path}.autoReplyTemplate`, 5000);
}

function checkRules(c: Checker, list: unknown, path: string): void {
  if (!Array.isArray(list)) {
    c.fail(path, 'must be a list of rules');
    return;
  }
  if (list.length > MAX_RULES) c.fail(path, `must hold at most ${MAX_RULES} rules`);
  const ids = new Map<string, number>();
  list.slice(0, MAX_RULES).forEach((raw, i) => {
    const at = `${path}[${i}]`;
    const r = c.object(raw, at, ['id', 'name', 'enabled', 'when', 'then']);
    if (!r) return;
    if (c.string(r.id, `${at}.id`, 100) && !RULE_ID_PATTERN.test(r.id as string)) {
      c.fail(`${at}.id`, 'may hold only letters, digits and _ . : - (starting with a letter or digit)');
    } else if (typeof r.id === 'string' && RESERVED_RULE_IDS.has(r.id)) {
      c.fail(`${at}.id`, `"${r.id}" is reserved by the rules API`);
    } else if (typeof r.id === 'string') {
      const first = ids.get(r.id);
      if (first !== undefined) c.fail(`${at}.id`, `duplicate id "${r.id}" (also ${path}[${first}])`);
      else ids.set(r.id, i);
    }
    if (r.name !== undefined) c.string(r.name, `${at}.name`);
    if (r.enabled !== undefined) c.boolean(r.enabled, `${at}.enabled`);
    if (r.when === undefined) c.fail(`${at}.when`, 'is required (use {} to match every message)');
    else checkWhen(c, r.when, `${at}.when`);
    if (r.then === undefined) c.fail(`${at}.then`, 'is required');
    else checkThen(c, r.then, `${at}.then`);
  });
}

/** Rules alone (no references checked). Accepts `{ "rules": [...] }` or a bare array of rules. */
export function validateRuleSet(json: unknown): ValidationResult {
  const c = new Checker();
  let list: unknown = json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const top = c.object(json, '$', ['rules']);
    list = top?.rules;
  }
  checkRules(c, list, 'rules');
  return c.errors.length > 0 ? { ok: false, errors: c.errors } : { ok: true, rules: structuredClone(list) as Rule[] };
}

function checkTerms(c: Checker, v: unknown, path: string): void {
  if (!Array.isArray(v) || v.length > MAX_TERMS) {
    c.fail(path, `must be a list of at most ${MAX_TERMS} terms`);
    return;
  }
  v.forEach((t, i) => {
    const at = `${path}[${i}]`;
    let term: unknown = t;
    if (typeof t === 'object' && t !== null && !Array.isArray(t)) {
      const o = c.object(t, at, ['term', 'weight']);
      if (!o) return;
      term = o.term;
      if (o.weight !== undefined) c.number(o.weight, `${at}.weight`, -MAX_WEIGHT, MAX_WEIGHT);
      if (!c.string(term, `${at}.term`)) return;
    } else if (!c.string(term, at)) return;
    if (!isMatchableTerm(term as string)) c.fail(typeof t === 'string' ? at : `${at}.term`, 'must contain a word to match (not only small words or symbols)');
  });
}

function checkLexicon(c: Checker, v: unknown, path: string): void {
  const lx = c.object(v, path, ['categories', 'urgency', 'minScore']);
  if (!lx) return;
  const cats = c.record(lx.categories, `${path}.categories`);
  if (cats) {
    const names = Object.keys(cats);
    if (names.length > MAX_CATEGORIES) c.fail(`${path}.categories`, `must hold at most ${MAX_CATEGORIES} categories`);
    for (const name of names) {
      if (name.trim() === '' || name.length > MAX_STRING) c.fail(`${path}.categories`, `category name "${name.slice(0, 40)}" must be 1 to ${MAX_STRING} characters`);
      checkTerms(c, cats[name], keyPath(`${path}.categories`, name));
    }
  }
  if (lx.urgency !== undefined) checkTerms(c, lx.urgency, `${path}.urgency`);
  if (lx.minScore !== undefined) c.number(lx.minScore, `${path}.minScore`, 0, MAX_WEIGHT);
}

function checkTemplates(c: Checker, v: unknown, path: string): void {
  const t = c.record(v, path);
  if (!t) return;
  const names = Object.keys(t);
  if (names.length > MAX_TEMPLATES) c.fail(path, `must hold at most ${MAX_TEMPLATES} templates`);
  for (const name of names) {
    if (!RULE_ID_PATTERN.test(name)) c.fail(keyPath(path, name), 'template names may hold only letters, digits and _ . : -');
    else c.string(t[name], keyPath(path, name), MAX_TEMPLATE_TEXT);
  }
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function checkBusinessHours(c: Checker, v: unknown, path: string, calendars?: readonly string[]): void {
  if (v === null) return;
  if (typeof v === 'object' && !Array.isArray(v) && 'calendar' in v) {
    const ref = c.object(v, path, ['calendar']);
    if (ref && c.string(ref.calendar, `${path}.calendar`, 100) && calendars && ref.calendar !== 'default' && !calendars.includes(ref.calendar as string)) {
      c.fail(`${path}.calendar`, `no calendar ${ref.calendar as string} (use a calendar's id, or "default")`);
    }
    return;
  }
  const b = c.object(v, path, ['timezone', 'days', 'open', 'close', 'holidays']);
  if (!b) return;
  if (c.string(b.timezone, `${path}.timezone`, 100) && !validTimeZone(b.timezone as string)) {
    c.fail(`${path}.timezone`, `unknown time zone "${b.timezone as string}" (use an IANA name like Europe/Berlin)`);
  }
  const days = b.days;
  if (!Array.isArray(days) || days.length === 0 || days.length > 7 || days.some((d) => !Number.isInteger(d) || d < 0 || d > 6) || new Set(days).size !== days.length) {
    c.fail(`${path}.days`, 'must be a list of distinct days 0 (Sunday) to 6 (Saturday)');
  }
  const open = typeof b.open === 'string' && HHMM.test(b.open);
  const close = typeof b.close === 'string' && (HHMM.test(b.close) || b.close === '24:00');
  if (!open) c.fail(`${path}.open`, 'must be a time "HH:MM"');
  if (!close) c.fail(`${path}.close`, 'must be a time "HH:MM" (or "24:00")');
  if (open && close && (b.open as string) >= (b.close as string)) c.fail(`${path}.close`, 'must be after open');
  if (b.holidays !== undefined) {
    c.stringList(b.holidays, `${path}.holidays`, (s, p) => {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) c.fail(p, 'must be a date "YYYY-MM-DD"');
    });
  }
}

export interface ConfigReferences {
  /** names of the queues that exist; a rule may only route to one of them */
  queues?: readonly string[];
  /** ids of the business calendars that exist; business hours may name one of them */
  calendars?: readonly string[];
}

/**
 * A whole routing configuration `{rules, lexicon, templates, businessHours}`, with references checked:
 * a rule's auto-reply template, queue and category conditions must name things that exist.
 */
export function validateRoutingConfig(json: unknown, refs: ConfigReferences = {}): ConfigValidationResult {
  const c = new Checker();
  const top = c.object(json, '$', ['rules', 'lexicon', 'templates', 'businessHours']);
  if (!top) return { ok: false, errors: c.errors };
  checkRules(c, top.rules, 'rules');
  if (top.lexicon === undefined) c.fail('lexicon', 'is required');
  else checkLexicon(c, top.lexicon, 'lexicon');
  if (top.templates === undefined) c.fail('templates', 'is required (use {} for none)');
  else checkTemplates(c, top.templates, 'templates');
  if (top.businessHours === undefined) c.fail('businessHours', 'is required (use null for always open)');
  else checkBusinessHours(c, top.businessHours, 'businessHours', refs.calendars);
  if (c.errors.length > 0) return { ok: false, errors: c.errors };

  const config = structuredClone(top) as unknown as RoutingConfig;
  const templates = new Set(Object.keys(config.templates));
  const categories = new Set(Object.keys((config.lexicon as Lexicon).categories));
  const queues = refs.queues ? new Set(refs.queues) : null;
  config.rules.forEach((r, i) => {
    const t = r.then.autoReplyTemplate;
    if (t !== undefined && !templates.has(t)) c.fail(`rules[${i}].then.autoReplyTemplate`, `no template "${t}" in templates`);
    if (queues && r.then.queue !== undefined && !queues.has(r.then.queue)) c.fail(`rules[${i}].then.queue`, `no queue named "${r.then.queue}"`);
    r.when.category?.forEach((name, k) => {
      if (!categories.has(name)) c.fail(`rules[${i}].when.category[${k}]`, `no category "${name}" in the lexicon`);
    });
  });
  return c.errors.length > 0 ? { ok: false, errors: c.errors } : { ok: true, config };
}

/** One line per error, for API responses and logs. */
export function formatValidationErrors(errors: readonly ValidationError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}
