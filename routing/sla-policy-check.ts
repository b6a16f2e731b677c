/**
 * Whether a list of SLA policies may be put in force: every problem with the path of the field it is in,
 * as the routing rules' validation does. Pure: what exists (calendars, queues, agents) is given.
 */
import { CASE_STATES } from './case-state.ts';
import { SLA_TARGETS } from './sla-clocks.ts';
import { CASE_CALENDAR, durationMs, parseWarnBefore, type SlaPolicy } from './sla-policy.ts';

export interface SlaPolicyProblem {
  path: string;
  message: string;
}

export interface SlaPolicyContext {
  calendarIds: ReadonlySet<string>;
  /** queue names, lower case */
  queues: ReadonlySet<string>;
  agentIds: ReadonlySet<string>;
}

// one address, as a mail server would take it in RCPT TO (names and lists are refused)
const EMAIL_ADDRESS = /^[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;"]+$/u;

/** The longest target accepted: a year of (business) time. */
const MAX_TARGET_MS = 366 * 24 * 3_600_000;

export function checkSlaPolicies(policies: readonly SlaPolicy[], ctx: SlaPolicyContext): SlaPolicyProblem[] {
  const problems: SlaPolicyProblem[] = [];
  const names = new Map<string, number>();
  policies.forEach((p, i) => {
    const at = (path: string, message: string) => problems.push({ path: `policies[${i}]${path ? `.${path}` : ''}`, message });
    const name = p.name.trim().toLowerCase();
    if (!name) at('name', 'a policy needs a name');
    else if (names.has(name)) at('name', `the name "${p.name}" is taken by policy ${names.get(name)! + 1}`);
    else names.set(name, i);

    const targets = SLA_TARGETS.filter((t) => p.targets[t] !== undefined);
    if (targets.length === 0) at('targets', 'a policy sets at least one of firstResponse, nextResponse, resolution');
    for (const t of targets) {
      const ms = durationMs(p.targets[t]!);
      if (ms === null) at(`targets.${t}`, `"${p.targets[t]}" is not an ISO 8601 duration of days, hours, minutes or seconds (e.g. PT4H, PT30S)`);
      else if (ms === 0) at(`targets.${t}`, 'a target must be longer than zero');
      else if (ms > MAX_TARGET_MS) at(`targets.${t}`, 'a target may be at most a year');
    }
    if (p.warnBefore !== null && parseWarnBefore(p.warnBefore) === null) {
      at('warnBefore', `"${p.warnBefore}" is neither an ISO 8601 duration (PT10M) nor a share of the target between 0% and 100% ("25%")`);
    } else if (p.warnBefore?.endsWith('%') && Number.parseFloat(p.warnBefore) >= 100) {
      at('warnBefore', 'a warning share must be below 100%');
    } else if (p.warnBefore !== null) {
      // a lead as long as a target would warn the moment each case opens
      const lead = parseWarnBefore(p.warnBefore);
      const tooShort = lead && 'ms' in lead ? targets.filter((t) => (durationMs(p.targets[t]!) ?? Infinity) <= lead.ms) : [];
      if (tooShort.length > 0) at('warnBefore', `a warning ${p.warnBefore} before due is not shorter than the ${tooShort.join(' and ')} target; use a shorter lead or a share ("25%")`);
    }
    if (p.calendar !== null && p.calendar !== CASE_CALENDAR && !ctx.calendarIds.has(p.calendar)) {
      at('calendar', `no calendar ${p.calendar}; use a calendar's id, "${CASE_CALENDAR}" (the account's or the queue's) or null (calendar time)`);
    }
    p.pauseStates.forEach((s, j) => {
      if (!(CASE_STATES as readonly string[]).includes(s)) at(`pauseStates[${j}]`, `"${s}" is not a case state (${CASE_STATES.join(', ')})`);
    });
    (p.match.queue ?? []).forEach((q, j) => {
      if (!ctx.queues.has(q.toLowerCase())) at(`match.queue[${j}]`, `no queue named "${q}"`);
    });
    (p.match.priority ?? []).forEach((v, j) => {
      if (!Number.isInteger(v) || v < 1 || v > 4) at(`match.priority[${j}]`, 'a priority is 1 (highest) to 4');
    });
    p.escalations.forEach((e, j) => {
      if (e.actions.length === 0) at(`escalations[${j}].actions`, 'an escalation does at least one thing');
      if (e.target !== 'any' && p.targets[e.target] === undefined) at(`escalations[${j}].target`, `the policy sets no ${e.target} target`);
      e.actions.forEach((a, k) => {
        const path = `escalations[${j}].actions[${k}]`;
        if (a.type === 'priority' && (!Number.isInteger(a.value) || a.value < 1 || a.value > 4)) at(`${path}.value`, 'a priority is 1 (highest) to 4');
        if (a.type === 'queue' && !ctx.queues.has(a.value.toLowerCase())) at(`${path}.value`, `no queue named "${a.value}"`);
        if (a.type === 'assign' && a.value !== 'supervisor' && !ctx.agentIds.has(a.value)) at(`${path}.value`, `no agent ${a.value}; use an agent's id or "supervisor"`);
        if (a.type === 'tag' && !a.value.trim()) at(`${path}.value`, 'a tag needs a name');
        if (a.type === 'notify' && a.channel === 'email' && !EMAIL_ADDRESS.test(a.to ?? '')) at(`${path}.to`, 'an email notice needs the address to send it to in "to"');
      });
    });
  });
  return problems;
}
