import type { RoutingDecision, RoutingInput } from '../routing/evaluate-rules.ts';

/** The live routing decision for one message; the rules behind it can change while the gateway runs. */
export interface RoutingEngine {
  route(input: RoutingInput): RoutingDecision & {
    /** the rule-set version that decided */
    version: number;
    /** the text of the auto-reply template the rules chose, if any */
    autoReplyText?: string;
  };
}
