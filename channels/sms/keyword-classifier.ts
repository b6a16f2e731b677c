/** Carrier keywords (the whole message, any case) that change what an SMS means. */
import type { InboundKind } from '../channel.types.ts';

export interface KeywordDecision {
  kind: Extract<InboundKind, 'message' | 'opt_out' | 'opt_in' | 'help'>;
  /** the keyword matched, upper case */
  keyword?: string;
  reason: string;
}

// The same families Twilio's default opt-out handling honours, so our records agree with what it blocks.
const FAMILIES: ReadonlyArray<[KeywordDecision['kind'], readonly string[]]> = [
  ['opt_out', ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'CANCEL']],
  ['opt_in', ['START', 'UNSTOP', 'YES']],
  ['help', ['HELP', 'INFO']],
];

export function classifyKeyword(body: string): KeywordDecision {
  // exact match only, like Twilio: "stop!" or "please stop" stay messages for an agent to read
  const candidate = body.trim().toUpperCase();
  for (const [kind, words] of FAMILIES) {
    if (words.includes(candidate)) {
      return { kind, keyword: candidate, reason: `the whole body is the ${kind} keyword ${candidate}` };
    }
  }
  return { kind: 'message', reason: 'the body is not a carrier keyword' };
}
