/**
 * Evaluates a compiled rule set against one message. Rules are tried in order; the first matching rule
 * that sets a queue decides the queue (and, likewise, the first to set priority, category or an
 * auto-reply wins those), while every matching rule adds its tags and required skills.
 *
 * Cost per message does not grow with the number of keyword rules: all rule keywords are folded into the
 * lexicon's single matcher, and only rules whose keywords matched (plus rules without keywords) are
 * tried. The trace lists the scores, each rule tried with why it matched or not, and how many were
 * skipped for having no keyword in the message.
 */
import type { ChannelName } from '../channels/channel.types.ts';
import { compileLexicon, type ExtraTerm, type KeywordMatcher, type Lexicon } from '../nlp/keyword-matcher.ts';
import { scoreMessage, type MessageScores } from '../nlp/score-message.ts';
import { checkBusinessHours, type BusinessHours } from './business-hours.ts';
import { computePriority } from './priority.ts';
import { compileSafeRegex, MAX_REGEX_TEXT, type SafeRegex } from './regex-safety.ts';
import { isCalendarRef, type CaseState, type NumberRange, type Priority, type Rule, type RoutingConfig } from './rule.types.ts';
import { nextOpening, type CompiledCalendar } from './business-calendar.ts';

export const DEFAULT_QUEUE = 'General';

export interface RoutingContact {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  tier?: string | null;
  vip?: boolean;
  accountName?: string | null;
}

/** The case a follow-up message belongs to; absent when the message opens a new case. */
export interface RoutingCase {
  number?: string;
  state: CaseState;
  priority: Priority;
  tags: string[];
  /** customer messages on the case, this one included */
  inboundCount: number;
  createdAt: Date;
}

export interface RoutingInput {
  channel: ChannelName;
  from: string;
  subject?: string;
  text: string;
  contact?: RoutingContact;
  case?: RoutingCase;
  now: Date;
  /** overrides the rule set's business hours; absent in both: always open */
  businessHours?: BusinessHours;
  /** the business calendar the rule set's hours name (`{"calendar": …}`), ready for arithmetic */
  calendar?: { name: string; compiled: CompiledCalendar };
}

export type TraceEntry =
  | {
      kind: 'scores';
      sentiment: number;
      frustrated: boolean;
      category: string | null;
      categoryScores: Record<string, number>;
      urgency: number;
      keywords: string[];
      truncated: boolean;
      explanation: string[];
    }
  | { kind: 'rule'; ruleId: string; name?: string; matched: boolean; reasons: string[]; applied: string[] }
  | { kind: 'skipped'; count: number; reason: string }
  | { kind: 'queue'; queue: string; reason: string }
  | { kind: 'priority'; priority: Priority; points: number; explanation: string[] };

export interface RoutingDecision {
  queue: string;
  priority: Priority;
  category: string | null;
  sentiment: number;
  frustrated: boolean;
  tags: string[];
  requiredSkills: string[];
  autoReplyTemplate?: string;
  /** the team was found closed (a business-hours condition was tried on a calendar): when it opens again */
  reopensAt?: Date;
  /** id of the rule that chose the queue, null for the default */
  queueRuleId: string | null;
  trace: TraceEntry[];
}

interface CompiledRule {
  index: number;
  rule: Rule;
  regex: SafeRegex | null;
}

export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  readonly matcher: KeywordMatcher;
  /** enabled rules without keywords, tried for every message */
  readonly alwaysTried: readonly number[];
  readonly keywordRuleCount: number;
  readonly businessHours: BusinessHours | null;
}

const ruleGroup = (index: number): string => `rule:${index}`;

/** Compile once per rule-set version. Expects rules that passed validation; throws on a term with no word. */
export function compileRules(rules: readonly Rule[], lexicon: Lexicon, businessHours: BusinessHours | null = null): CompiledRuleSet {
  const extra: ExtraTerm[] = [];
  const compiled: CompiledRule[] = [];
  const alwaysTried: number[] = [];
  let keywordRuleCount = 0;
  rules.forEach((rule, index) => {
    const m = rule.when.matches;
    compiled.push({ index, rule, regex: m ? compileSafeRegex(m.pattern, m.flags ?? '') : null });
    if (rule.enabled === false) return;
    if (rule.when.keywords) {
      keywordRuleCount++;
      for (const term of rule.when.keywords) extra.push({ group: ruleGroup(index), term });
    } else {
      alwaysTried.push(index);
    }
  });
  return { rules: compiled, matcher: compileLexicon(lexicon, extra), alwaysTried, keywordRuleCount, businessHours };
}

export function compileRoutingConfig(config: RoutingConfig): CompiledRuleSet {
  return compileRules(config.rules, config.lexicon, isCalendarRef(config.businessHours) ? null : config.businessHours);
}

function inRange(value: number, r: NumberRange): boolean {
  return (r.atLeast === undefined || value >= r.atLeast) && (r.atMost === undefined || value <= r.atMost);
}

function describeRange(r: NumberRange): string {
  return [r.atLeast !== undefined ? `≥ ${r.atLeast}` : '', r.atMost !== undefined ? `≤ ${r.atMost}` : '']
    .filter(Boolean)
    .join(' and ');
}

const lower = (xs: readonly string[]): string[] => xs.map((x) => x.toLowerCase());

interface Context {
  input: RoutingInput;
  scores: MessageScores;
  text: string;
  businessHoursInside: () => { inside: boolean; reason: string; reopensAt?: Date };
}

/** Checks one rule's conditions in a fixed order; stops at the first that fails. */
function checkConditions(cr: CompiledRule, ctx: Context): { matched: boolean; reasons: string[] } {
  const w = cr.rule.when;
  const { input, scores } = ctx;
  const reasons: string[] = [];
  const check = (ok: boolean, yes: string, no: string): boolean => {
    reasons.push(ok ? yes : no);
    return ok;
  };
  const all = (): boolean => {
    if (w.channel && !check(w.channel.includes(input.channel), `channel ${input.channel}`, `channel ${input.channel} not in [${w.channel.join(', ')}]`)) return false;
    if (w.keywords) {
      const hit = scores.hits.filter((h) => h.group === ruleGroup(cr.index)).map((h) => h.term);
      if (!check(hit.length > 0, `keywords: ${hit.map((k) => `"${k}"`).join(', ')}`, 'no keyword found')) return false;
    }
    if (cr.regex) {
      const found = cr.regex.find(ctx.text);
      if (!check(found !== null, `pattern /${cr.regex.source}/ found "${found ?? ''}"`, `pattern /${cr.regex.source}/ not found${ctx.text.length > MAX_REGEX_TEXT ? ` in the first ${MAX_REGEX_TEXT} characters` : ''}`)) return false;
    }
    if (w.category) {
      const c = scores.category;
      if (!check(c !== null && w.category.includes(c), `category ${c}`, `category ${c ?? 'none'} not in [${w.category.join(', ')}]`)) return false;
    }
    if (w.sentiment) {
      const s = scores.sentiment;
      if (w.sentiment.below !== undefined && !check(s < w.sentiment.below, `sentiment ${s} < ${w.sentiment.below}`, `sentiment ${s} is not below ${w.sentiment.below}`)) return false;
      if (w.sentiment.above !== undefined && !check(s > w.sentiment.above, `sentiment ${s} > ${w.sentiment.above}`, `sentiment ${s} is not above ${w.sentiment.above}`)) return false;
    }
    if (w.frustrated !== undefined && !check(scores.frustrated === w.frustrated, `frustrated is ${scores.frustrated}`, `frustrated is ${scores.frustrated}, not ${w.frustrated}`)) return false;
    if (w.urgency && !check(inRange(scores.urgency, w.urgency), `urgency ${scores.urgency} ${describeRange(w.urgency)}`, `urgency ${scores.urgency} is not ${describeRange(w.urgency)}`)) return false;
    if (w.contact) {
      const k = input.contact ?? {};
      const tier = (k.tier ?? 'standard').toLowerCase();
      if (w.contact.tier && !check(lower(w.contact.tier).includes(tier), `tier ${tier}`, `tier ${tier} not in [${w.contact.tier.join(', ')}]`)) return false;
      if (w.contact.vip !== undefined && !check((k.vip ?? false) === w.contact.vip, `vip is ${k.vip ?? false}`, `vip is ${k.vip ?? false}, not ${w.contact.vip}`)) return false;
      if (w.contact.emailDomain) {
        const domain = (k.email ?? (input.from.includes('@') ? input.from : '')).split('@')[1]?.toLowerCase() ?? '';
        if (!check(domain !== '' && lower(w.contact.emailDomain).includes(domain), `email domain ${domain}`, `email domain ${domain || 'none'} not in [${w.contact.emailDomain.join(', ')}]`)) return false;
      }
      if (w.contact.accountName) {
        const acct = k.accountName ?? '';
        if (!check(acct !== '' && lower(w.contact.accountName).includes(acct.toLowerCase()), `account ${acct}`, `account ${acct || 'none'} not in [${w.contact.accountName.join(', ')}]`)) return false;
      }
      if (w.contact.known !== undefined) {
        const known = Boolean(k.name || k.accountName);
        if (!check(known === w.contact.known, `contact known is ${known}`, `contact known is ${known}, not ${w.contact.known}`)) return false;
      }
    }
    if (w.businessHours) {
      const bh = ctx.businessHoursInside();
      const want = w.businessHours === 'inside';
      if (!check(bh.inside === want, bh.reason, `${bh.reason} (rule wants ${w.businessHours})`)) return false;
    }
    if (w.case) {
      const c = input.case;
      const isNew = c === undefined;
      if (w.case.isNew !== undefined && !check(isNew === w.case.isNew, isNew ? 'opens a new case' : `follows up case ${c.number ?? ''}`.trim(), isNew ? 'opens a new case (rule wants a follow-up)' : 'follows up an existing case (rule wants a new one)')) return false;
      const { isNew: _ignored, ...caseConditions } = w.case;
      if (Object.keys(caseConditions).length > 0 && !check(c !== undefined, 'has a case', 'no case yet')) return false;
      if (c) {
        if (w.case.state && !check(w.case.state.includes(c.state), `case state ${c.state}`, `case state ${c.state} not in [${w.case.state.join(', ')}]`)) return false;
        if (w.case.priority && !check(inRange(c.priority, w.case.priority), `case priority ${c.priority}`, `case priority ${c.priority} is not ${describeRange(w.case.priority)}`)) return false;
        if (w.case.tags) {
          const has = w.case.tags.filter((t) => c.tags.includes(t));
          if (!check(has.length > 0, `case tags ${has.join(', ')}`, `case has none of [${w.case.tags.join(', ')}]`)) return false;
        }
        if (w.case.inboundCount && !check(inRange(c.inboundCount, w.case.inboundCount), `inbound count ${c.inboundCount}`, `inbound count ${c.inboundCount} is not ${describeRange(w.case.inboundCount)}`)) return false;
      }
    }
    if (reasons.length === 0) reasons.push('no conditions: matches every message');
    return true;
  };
  return { matched: all(), reasons };
}

export function evaluateRules(input: RoutingInput, compiled: CompiledRuleSet): RoutingDecision {
  const text = input.subject ? `${input.subject}\n${input.text}` : input.text;
  const scores = scoreMessage(text, compiled.matcher);
  const trace: TraceEntry[] = [
    {
      kind: 'scores',
      sentiment: scores.sentiment,
      frustrated: scores.frustrated,
      category: scores.category,
      categoryScores: scores.categoryScores,
      urgency: scores.urgency,
      keywords: scores.keywords,
      truncated: scores.truncated,
      explanation: scores.explanation,
    },
  ];

  let bhCache: { inside: boolean; reason: string; reopensAt?: Date } | undefined;
  const ctx: Context = {
    input,
    scores,
    text,
    businessHoursInside: () => {
      if (bhCache) return bhCache;
      const hours = input.businessHours ?? compiled.businessHours;
      if (!hours && input.calendar) bhCache = onCalendar(input.calendar, input.now);
      else if (!hours) bhCache = { inside: true, reason: 'no business hours configured: always open' };
      else {
        try {
          bhCache = checkBusinessHours(input.now, hours);
        } catch (err) {
          bhCache = { inside: true, reason: `business hours unusable (${(err as Error).message}): treated as open` };
        }
      }
      return bhCache;
    },
  };

  // candidates: rules without keywords, plus keyword rules whose keywords occur in the message
  const candidates = new Set(compiled.alwaysTried);
  let keywordHits = 0;
  for (const group of Object.keys(scores.groups)) {
    const index = Number(group.slice('rule:'.length));
    if (compiled.rules[index]?.rule.enabled !== false) {
      candidates.add(index);
      keywordHits++;
    }
  }
  const skipped = compiled.keywordRuleCount - keywordHits;
  if (skipped > 0) trace.push({ kind: 'skipped', count: skipped, reason: 'no keyword of theirs in the message' });

  let queue: string | undefined;
  let queueRuleId: string | null = null;
  let rulePriority: Priority | undefined;
  let category: string | undefined;
  let autoReplyTemplate: string | undefined;
  const tags = new Set<string>();
  const skills = new Set<string>();

  for (const index of [...candidates].sort((a, b) => a - b)) {
    const cr = compiled.rules[index]!;
    const { rule } = cr;
    const { matched, reasons } = checkConditions(cr, ctx);
    const applied: string[] = [];
    if (matched) {
      const t = rule.then;
      if (t.queue !== undefined) {
        if (queue === undefined) {
          queue = t.queue;
          queueRuleId = rule.id;
          applied.push(`queue ${t.queue}`);
        } else applied.push(`queue ${t.queue} ignored: ${queue} already chosen by rule ${queueRuleId}`);
      }
      if (t.priority !== undefined) {
        if (rulePriority === undefined) {
          rulePriority = t.priority;
          applied.push(`priority ${t.priority}`);
        } else applied.push(`priority ${t.priority} ignored: already set to ${rulePriority}`);
      }
      if (t.category !== undefined) {
        if (category === undefined) {
          category = t.category;
          applied.push(`category ${t.category}`);
        } else applied.push(`category ${t.category} ignored: already set to ${category}`);
      }
      if (t.autoReplyTemplate !== undefined) {
        if (autoReplyTemplate === undefined) {
          autoReplyTemplate = t.autoReplyTemplate;
          applied.push('auto-reply template');
        } else applied.push('auto-reply template ignored: already set');
      }
      for (const tag of t.tags ?? []) tags.add(tag);
      if (t.tags?.length) applied.push(`tags ${t.tags.join(', ')}`);
      for (const s of t.requiredSkills ?? []) skills.add(s);
      if (t.requiredSkills?.length) applied.push(`skills ${t.requiredSkills.join(', ')}`);
    }
    trace.push({ kind: 'rule', ruleId: rule.id, ...(rule.name ? { name: rule.name } : {}), matched, reasons, applied });
  }

  if (queue === undefined) trace.push({ kind: 'queue', queue: DEFAULT_QUEUE, reason: 'no rule chose a queue' });
  else trace.push({ kind: 'queue', queue, reason: `chosen by rule ${queueRuleId}` });

  const p = computePriority({
    sentiment: scores.sentiment,
    frustrated: scores.frustrated,
    urgency: scores.urgency,
    channel: input.channel,
    tier: input.contact?.tier,
    vip: input.contact?.vip,
    rulePriority,
    current: input.case,
  });
  trace.push({ kind: 'priority', priority: p.priority, points: p.points, explanation: p.explanation });

  return {
    queue: queue ?? DEFAULT_QUEUE,
    priority: p.priority,
    category: category ?? scores.category,
    sentiment: scores.sentiment,
    frustrated: scores.frustrated,
    tags: [...tags],
    requiredSkills: [...skills],
    ...(autoReplyTemplate !== undefined ? { autoReplyTemplate } : {}),
    ...(bhCache?.reopensAt ? { reopensAt: bhCache.reopensAt } : {}),
    queueRuleId,
    trace,
  };
}

/** Whether the team works at `now` on a business calendar, and if not, when it is back. */
function onCalendar(cal: { name: string; compiled: CompiledCalendar }, now: Date): { inside: boolean; reason: string; reopensAt?: Date } {
  const opening = nextOpening(now, cal.compiled);
  if (opening?.open) return { inside: true, reason: `calendar ${cal.name}: open` };
  if (!opening) return { inside: false, reason: `calendar ${cal.name}: closed, with no opening within a year` };
  return { inside: false, reason: `calendar ${cal.name}: closed until ${opening.at.toISOString()}`, reopensAt: opening.at };
}
