import type { RoutingDecision, RoutingInput } from '../routing/evaluate-rules.ts';

/** The live routing decision for one message; the rules behind it can change while the gateway runs. */
export interface RoutingEngine {
  route(input: RoutingInput): RoutingDecision & {
    /** the rule-set version that decided */
    version: number;
    /** the text of the auto-reply template the rules chose, if any */
    autoReplyText?: string;
    /** the team was found closed on its business calendar: when it is back, for people ("Monday 8 June at 09:00 (Europe/Berlin)") */
    backAt?: string;
  };
}
