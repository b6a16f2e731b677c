import { CASE_CALENDAR, type SlaPolicy } from '../../routing/sla-policy.ts';

/**
 * The policies of a first start: an urgent case is answered within 15 minutes of business time, every
 * other within 4 hours; the warning comes at a quarter of the target left, the breach tags the case and
 * tells the queue's Slack channel. Both run on the case's own calendar.
 */
export function defaultSlaPolicies(): SlaPolicy[] {
  const escalations: SlaPolicy['escalations'] = [
    { when: 'warning', target: 'any', actions: [{ type: 'notify', channel: 'console' }] },
    { when: 'breach', target: 'any', actions: [{ type: 'tag', value: 'sla-breached' }, { type: 'notify', channel: 'slack' }, { type: 'notify', channel: 'console' }] },
  ];
  return [
    { id: 'sla-urgent', name: 'Urgent', enabled: true, match: { priority: [1] }, calendar: CASE_CALENDAR, targets: { firstResponse: 'PT15M' }, warnBefore: '25%', pauseStates: ['awaiting_customer'], escalations },
    { id: 'sla-standard', name: 'Standard', enabled: true, match: {}, calendar: CASE_CALENDAR, targets: { firstResponse: 'PT4H' }, warnBefore: '25%', pauseStates: ['awaiting_customer'], escalations },
  ];
}
