/** A rule in one line of words: its conditions, then what it does. */
import type { NumberRange, Rule, RuleActions, RuleConditions } from './rules-types.ts';

const list = (xs: readonly string[]): string => xs.join(' or ');
const quoted = (xs: readonly string[]): string => xs.map((x) => `“${x}”`).join(' or ');

export function rangeText(r: NumberRange): string {
  if (r.atLeast !== undefined && r.atMost !== undefined) return `${r.atLeast}–${r.atMost}`;
  if (r.atLeast !== undefined) return `≥ ${r.atLeast}`;
  return `≤ ${r.atMost}`;
}

export function conditionParts(w: RuleConditions): string[] {
  const out: string[] = [];
  if (w.channel) out.push(`channel ${list(w.channel)}`);
  if (w.keywords) out.push(`mentions ${quoted(w.keywords)}`);
  if (w.matches) out.push(`matches /${w.matches.pattern}/${w.matches.flags ?? ''}`);
  if (w.category) out.push(`category ${list(w.category)}`);
  if (w.sentiment) {
    if (w.sentiment.below !== undefined) out.push(`sentiment below ${w.sentiment.below}`);
    if (w.sentiment.above !== undefined) out.push(`sentiment above ${w.sentiment.above}`);
  }
  if (w.frustrated !== undefined) out.push(w.frustrated ? 'frustrated' : 'not frustrated');
  if (w.urgency) out.push(`urgency ${rangeText(w.urgency)}`);
  const k = w.contact;
  if (k) {
    if (k.tier) out.push(`tier ${list(k.tier)}`);
    if (k.vip !== undefined) out.push(k.vip ? 'VIP' : 'not VIP');
    if (k.emailDomain) out.push(`email domain ${list(k.emailDomain)}`);
    if (k.accountName) out.push(`account ${list(k.accountName)}`);
    if (k.known !== undefined) out.push(k.known ? 'known contact' : 'first-time contact');
  }
  if (w.businessHours) out.push(`${w.businessHours} business hours`);
  const c = w.case;
  if (c) {
    if (c.isNew !== undefined) out.push(c.isNew ? 'new case' : 'follow-up');
    if (c.state) out.push(`case ${list(c.state.map((s) => s.replace('_', ' ')))}`);
    if (c.priority) out.push(`case priority ${rangeText(c.priority)}`);
    if (c.tags) out.push(`case tagged ${list(c.tags)}`);
    if (c.inboundCount) out.push(`customer messages ${rangeText(c.inboundCount)}`);
  }
  return out;
}

export function actionParts(t: RuleActions): string[] {
  const out: string[] = [];
  if (t.queue !== undefined) out.push(`queue ${t.queue}`);
  if (t.priority !== undefined) out.push(`priority ${t.priority}`);
  if (t.category !== undefined) out.push(`category ${t.category}`);
  if (t.tags?.length) out.push(`tag ${t.tags.join(', ')}`);
  if (t.requiredSkills?.length) out.push(`needs ${t.requiredSkills.join(', ')}`);
  if (t.autoReplyTemplate !== undefined) out.push(`auto-reply “${t.autoReplyTemplate}”`);
  return out;
}

export function ruleSummary(r: Rule): string {
  const when = conditionParts(r.when);
  return `${when.length ? when.join(' and ') : 'every message'} → ${actionParts(r.then).join('; ') || 'nothing'}`;
}

export const ruleLabel = (r: Pick<Rule, 'id' | 'name'>): string => r.name || r.id;
