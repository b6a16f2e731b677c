/**
 * Admin-written patterns run on RE2 (the re2js port), whose matching time is linear in the text whatever
 * the pattern: no pattern can hang the pipeline. On top of that we refuse:
 *  - what RE2 cannot run in linear time and so does not support: backreferences, lookarounds;
 *  - quantified groups that contain a quantifier or an alternation ((a+)+, (a|ab)*): the classic
 *    catastrophic-backtracking shapes. RE2 runs them safely, but they are almost always a mistake and
 *    would hang any backtracking engine the rules are copied to;
 *  - bounded repeats above {0,100}, which blow up the compiled program.
 * Patterns see at most MAX_REGEX_TEXT characters of a message.
 */
import { RE2JS } from 're2js';

export const MAX_REGEX_TEXT = 4 * 1024;
export const MAX_PATTERN_LENGTH = 500;
const ALLOWED_FLAGS = /^[imsu]*$/;
const MAX_BOUNDED_REPEAT = 100;

interface GroupInfo {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

export interface RegexProblem {
  /** which part is wrong: the pattern itself or its flags */
  field: 'pattern' | 'flags';
  message: string;
}

/** A compiled admin pattern: `find` returns the first match (up to 60 characters) or null. */
export interface SafeRegex {
  readonly source: string;
  find(text: string): string | null;
}

function flagBits(flags: string): number {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  // RE2 matches Unicode code points already: "u" needs no bit
  return bits;
}

/** Compiles a pattern that passed `regexProblem`. */
export function compileSafeRegex(pattern: string, flags = ''): SafeRegex {
  const re = RE2JS.compile(pattern, flagBits(flags));
  return {
    source: pattern,
    find(text: string): string | null {
      const m = re.matcher(text.length > MAX_REGEX_TEXT ? text.slice(0, MAX_REGEX_TEXT) : text);
      return m.find() ? m.group(0)!.slice(0, 60) : null;
    },
  };
}

/** Returns why the pattern is refused, or null when it is safe to compile. */
export function regexProblem(pattern: string, flags = ''): RegexProblem | null {
  const bad = (message: string): RegexProblem => ({ field: 'pattern', message });
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    return { field: 'flags', message: 'may only be i, m, s, u (each once)' };
  }
  if (pattern.length === 0) return bad('must not be empty');
  if (pattern.length > MAX_PATTERN_LENGTH) return bad(`must be at most ${MAX_PATTERN_LENGTH} characters`);

  const stack: GroupInfo[] = [{ hasQuantifier: false, hasAlternation: false }];
  let lastGroup: GroupInfo | null = null; // the group just closed, if the previous atom was a group
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') return bad('must not use backreferences');
      i++;
      lastGroup = null;
      continue;
    }
    if (c === '[') {
      // skip the class; escapes inside it are literal characters
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      if (/^\(\?(?:=|!|<=|<!)/.test(pattern.slice(i, i + 4))) return bad('must not use lookahead or lookbehind');
      stack.push({ hasQuantifier: false, hasAlternation: false });
      // skip a non-capturing or named group's prefix so its "?" is not read as a quantifier
      const prefix = /^\?(?::|P?<[^>]*>)/.exec(pattern.slice(i + 1));
      if (prefix) i += prefix[0].length;
      lastGroup = null;
      continue;
    }
    if (c === ')') {
      if (stack.length === 1) break; // unbalanced: the compiler below says so
      const closed = stack.pop()!;
      const parent = stack[stack.length - 1]!;
      parent.hasQuantifier ||= closed.hasQuantifier;
      lastGroup = closed;
      continue;
    }
    if (c === '|') {
      top.hasAlternation = true;
      lastGroup = null;
      continue;
    }
    const brace = c === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i)) : null;
    if (c === '*' || c === '+' || c === '?' || brace) {
      let repeats = c !== '?';
      if (brace) {
        const min = Number(brace[1]);
        const max = brace[2] === undefined ? min : brace[3] === '' ? Infinity : Number(brace[3]);
        repeats = max > 1;
        if (Math.min(min, max) > MAX_BOUNDED_REPEAT || (max !== Infinity && max > MAX_BOUNDED_REPEAT)) {
          return bad(`must not repeat more than {0,${MAX_BOUNDED_REPEAT}}`);
        }
        i += brace[0].length - 1;
      }
      if (pattern[i + 1] === '?') i++; // lazy marker
      if (lastGroup && repeats && (lastGroup.hasQuantifier || lastGroup.hasAlternation)) {
        return bad('must not repeat a group that contains a quantifier or an alternation (catastrophic backtracking)');
      }
      top.hasQuantifier = true;
      lastGroup = null;
      continue;
    }
    lastGroup = null;
  }

  try {
    RE2JS.compile(pattern, flagBits(flags));
  } catch (err) {
    return bad(`is not a valid regular expression (${(err as Error).message})`);
  }
  return null;
}
