/** Carrier keywords (the whole message, any case) that change what an SMS means. */
import type { InboundKind } from '../channel.types.ts';

export interface KeywordDecision {
  kind: Extract<InboundKind, 'message' | 'opt_out' | 'opt_in' | 'help'>;
  /** the keyword matched, upper case */
  keyword?: string;
  reason: string;
}

// The opt-out family is the one Twilio's default handling blocks on, so we never send where it would refuse.
// Opt-in is START / UNSTOP only: Twilio also takes YES, but "yes" is far more often an answer to an agent's
// question than a re-subscription, and it must reach the case as a message.
const FAMILIES: ReadonlyArray<[KeywordDecision['kind'], readonly string[]]> = [
  ['opt_out', ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'CANCEL']],
  ['opt_in', ['START', 'UNSTOP']],
  ['help', ['HELP', 'INFO']],
];

export function classifyKeyword(body: string): KeywordDecision {
  // exact match only, like Twilio: "stop!" or "please stop" stay messages for an agent to read
  const trimmed = body.trim();
  // ASCII letters only: toUpperCase would turn look-alikes ("ſtop", "ﬆop", "quıt") into keywords
  if (!/^[A-Za-z]+$/.test(trimmed)) return { kind: 'message', reason: 'the body is not a carrier keyword' };
  const candidate = trimmed.toUpperCase();
  for (const [kind, words] of FAMILIES) {
    if (words.includes(candidate)) {
      return { kind, keyword: candidate, reason: `the whole body is the ${kind} keyword ${candidate}` };
    }
  }
  return { kind: 'message', reason: 'the body is not a carrier keyword' };
}
