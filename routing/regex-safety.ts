/**
 * JavaScript's regex engine backtracks, so an admin's pattern could hang the pipeline. We accept only
 * patterns whose worst case is bounded, and run them on the first MAX_REGEX_TEXT characters:
 *  - no backreferences or lookarounds;
 *  - no quantified group that itself contains a quantifier or an alternation ((a+)+, (a|ab)*): the
 *    exponential cases;
 *  - at most one unbounded quantifier (*, +, {n,}) in the whole pattern, which keeps the worst case
 *    near-quadratic in the (capped) text; bounded repeats {n,m} need m ≤ 100. Write `order\s{0,3}\d{1,12}`
 *    instead of `order\s*\d+`.
 */
export const MAX_REGEX_TEXT = 4 * 1024;
export const MAX_PATTERN_LENGTH = 500;
const ALLOWED_FLAGS = /^[imsu]*$/;
const MAX_BOUNDED_REPEAT = 100;

interface GroupInfo {
  hasQuantifier: boolean;
  hasAlternation: boolean;
}

/** Returns why the pattern is refused, or null when it is safe to compile. */
export function regexProblem(pattern: string, flags = ''): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  if (!ALLOWED_FLAGS.test(flags) || new Set(flags).size !== flags.length) {
    return 'flags may only be i, m, s, u (each once)';
  }
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return `is not a valid regular expression (${(err as Error).message})`;
  }

  const stack: GroupInfo[] = [{ hasQuantifier: false, hasAlternation: false }];
  let unbounded = 0;
  let lastGroup: GroupInfo | null = null; // the group just closed, if the previous atom was a group
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const top = stack[stack.length - 1]!;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (/[1-9]/.test(n) || n === 'k') return 'must not use backreferences';
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
      if (/^\(\?(?:=|!|<=|<!)/.test(pattern.slice(i, i + 4))) return 'must not use lookahead or lookbehind';
      stack.push({ hasQuantifier: false, hasAlternation: false });
      // skip a non-capturing or named group's prefix so its "?" is not read as a quantifier
      const prefix = /^\?(?::|<[^>]*>)/.exec(pattern.slice(i + 1));
      if (prefix) i += prefix[0].length;
      lastGroup = null;
      continue;
    }
    if (c === ')') {
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
      let isUnbounded = c === '*' || c === '+';
      let repeats = c !== '?';
      if (brace) {
        const min = Number(brace[1]);
        const max = brace[2] === undefined ? min : brace[3] === '' ? Infinity : Number(brace[3]);
        isUnbounded = max === Infinity;
        repeats = max > 1;
        if (!isUnbounded && max > MAX_BOUNDED_REPEAT) return `must not repeat more than {0,${MAX_BOUNDED_REPEAT}}`;
        i += brace[0].length - 1;
      }
      if (pattern[i + 1] === '?') i++; // lazy marker
      if (lastGroup && repeats && (lastGroup.hasQuantifier || lastGroup.hasAlternation)) {
        return 'must not repeat a group that contains a quantifier or an alternation (catastrophic backtracking)';
      }
      if (isUnbounded && ++unbounded > 1) {
        return 'may contain at most one unbounded quantifier (*, +, {n,}); use bounded ones like {0,20}';
      }
      top.hasQuantifier = true;
      lastGroup = null;
      continue;
    }
    lastGroup = null;
  }
  return null;
}
