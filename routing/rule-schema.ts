/**
 * Validates a rule set written by an admin. Nothing is coerced: an unknown key or a wrong type is an
 * error with the exact path ("rules[3].when.sentiment.below: must be a number between -1 and 1"), so a
 * typo can never turn a rule into a catch-all.
 */
import { isMatchableTerm } from '../nlp/keyword-matcher.ts';
import type { ChannelName } from '../channels/channel.types.ts';
import { regexProblem } from './regex-safety.ts';
import type { Rule } from './rule.types.ts';

export interface ValidationError {
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; rules: Rule[] } | { ok: false; errors: ValidationError[] };

export const MAX_RULES = 20_000;
const MAX_LIST = 500;
const MAX_STRING = 200;
const CHANNELS: readonly ChannelName[] = ['chat', 'email', 'sms', 'slack'];
const CASE_STATES = ['new', 'open', 'awaiting_customer', 'resolved', 'closed'];

type Obj = Record<string, unknown>;

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
        if (problem) c.fail(`${path}.matches.pattern`, problem);
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

/** Accepts `{ "rules": [...] }` or a bare array of rules. */
export function validateRuleSet(json: unknown): ValidationResult {
  const c = new Checker();
  let list: unknown = json;
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const top = c.object(json, '$', ['rules']);
    list = top?.rules;
  }
  if (!Array.isArray(list)) {
    c.fail('rules', 'must be a list of rules');
    return { ok: false, errors: c.errors };
  }
  if (list.length > MAX_RULES) c.fail('rules', `must hold at most ${MAX_RULES} rules`);
  const ids = new Map<string, number>();
  list.slice(0, MAX_RULES).forEach((raw, i) => {
    const path = `rules[${i}]`;
    const r = c.object(raw, path, ['id', 'name', 'enabled', 'when', 'then']);
    if (!r) return;
    if (c.string(r.id, `${path}.id`)) {
      const first = ids.get(r.id as string);
      if (first !== undefined) c.fail(`${path}.id`, `duplicate id "${r.id as string}" (also rules[${first}])`);
      else ids.set(r.id as string, i);
    }
    if (r.name !== undefined) c.string(r.name, `${path}.name`);
    if (r.enabled !== undefined) c.boolean(r.enabled, `${path}.enabled`);
    if (r.when === undefined) c.fail(`${path}.when`, 'is required (use {} to match every message)');
    else checkWhen(c, r.when, `${path}.when`);
    if (r.then === undefined) c.fail(`${path}.then`, 'is required');
    else checkThen(c, r.then, `${path}.then`);
  });
  return c.errors.length > 0 ? { ok: false, errors: c.errors } : { ok: true, rules: structuredClone(list) as Rule[] };
}

/** One line per error, for API responses and logs. */
export function formatValidationErrors(errors: readonly ValidationError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}
