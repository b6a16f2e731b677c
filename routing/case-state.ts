/** Every state a case can be in, in the order a case normally goes through them. */
export const CASE_STATES = ['new', 'open', 'awaiting_customer', 'resolved', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** States of a case still being worked: it counts against its agent's capacity and takes follow-ups. */
export const ACTIVE_STATES: readonly CaseState[] = ['new', 'open', 'awaiting_customer'];

/** States in which an unassigned case waits for an agent (awaiting_customer: the customer has the turn). */
export const WAITING_STATES: readonly CaseState[] = ['new', 'open'];

export function isActiveState(state: CaseState): boolean {
  return ACTIVE_STATES.includes(state);
}
