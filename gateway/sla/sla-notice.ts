/**
 * The email an SLA escalation sends to a team address: what is due, on which case, and where to open it.
 * Pure: the case and the moment in, subject and text out.
 */
import type { CaseView } from '../../store/case.repository.ts';

export interface SlaNoticeFacts {
  kase: Pick<CaseView, 'number' | 'subject' | 'priority' | 'queue' | 'contact' | 'channel'>;
  assigneeName: string | null;
  /** e.g. "first response" */
  target: string;
  when: 'warning' | 'breach';
  policy: string;
  dueAt: Date;
  /** what else the escalation did, in words */
  did: readonly string[];
  /** the console's address; the notice links to the case there */
  consoleUrl: string;
}

export function slaNoticeMail(f: SlaNoticeFacts): { subject: string; text: string } {
  const moment = f.when === 'warning' ? 'due soon' : 'breached';
  const who = f.kase.contact.name ?? f.kase.contact.email ?? f.kase.contact.phone ?? 'unknown';
  const lines = [
    `The ${f.target} promise on case ${f.kase.number} is ${moment}: it ${f.when === 'warning' ? 'is' : 'was'} due at ${f.dueAt.toISOString()} (policy ${f.policy}).`,
    '',
    `Subject:   ${f.kase.subject}`,
    `Customer:  ${who} (${f.kase.channel})`,
    `Queue:     ${f.kase.queue ?? 'none'}`,
    `Priority:  ${f.kase.priority}`,
    `Assignee:  ${f.assigneeName ?? 'nobody'}`,
  ];
  if (f.did.length > 0) lines.push('', `Also done: ${f.did.join('; ')}.`);
  lines.push('', `Open the case: ${f.consoleUrl}#${f.kase.number}`, '', 'This notice is automatic; replies to it are not read.');
  return { subject: `[SLA ${moment}] ${f.kase.number}: ${f.kase.subject}`.slice(0, 300), text: lines.join('\n') };
}
