/**
 * Our outbound Message-IDs name the case: `<CS0001001.k3j9x2p1q8@support.example>`. A reply that
 * carries one in In-Reply-To / References proves which case it answers, but only when the domain is
 * ours: anyone can write "CS0001001" into an id of their own.
 */
import { randomBytes } from 'node:crypto';

const CASE_NUMBER = /^CS\d{7,}$/u;
const OUR_ID = /^<(CS\d{7,})\.[a-z0-9]+@([^<>@\s]+)>$/iu;

export function newMessageId(caseNumber: string, domain: string, random: () => string = defaultRandom): string {
  if (!CASE_NUMBER.test(caseNumber)) throw new Error(`not a case number: ${caseNumber}`);
  return `<${caseNumber}.${random()}@${domain}>`;
}

function defaultRandom(): string {
  return randomBytes(10).toString('hex');
}

/** the case number in one of our Message-IDs, or undefined for anyone else's id */
export function caseFromOurMessageId(id: string, ourDomains: readonly string[]): string | undefined {
  const m = OUR_ID.exec(id.trim());
  if (!m) return undefined;
  return ourDomains.includes(m[2]!.toLowerCase()) ? m[1]!.toUpperCase() : undefined;
}

/**
 * Message-ids in a header value, in order, each once. Takes `<a@b>` tokens; a value without angle
 * brackets (some clients drop them) is read as whitespace/comma separated `local@domain` words.
 */
export function extractMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/gu);
  const ids = bracketed ?? value.split(/[\s,]+/u).filter((w) => /^[^@\s]+@[^@\s]+$/u.test(w)).map((w) => `<${w}>`);
  return [...new Set(ids)];
}
