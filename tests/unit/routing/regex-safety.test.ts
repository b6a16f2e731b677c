import { describe, expect, it } from 'vitest';
import { regexProblem } from '../../../routing/regex-safety.ts';

describe('regexProblem', () => {
  it.each([
    'refund',
    '\\bCS\\d{7}\\b',
    'order\\s{0,3}#?\\d{1,12}',
    '(refund|money back)',
    '^re:',
    '[a-z]+@bigcorp\\.com',
    '(?:ab){2,5}',
    'colou?r',
    '[(+*]',
    '\\(a+\\)?',
    '(?<num>\\d{3})-\\d{4}',
  ])('accepts %s', (p) => {
    expect(regexProblem(p)).toBeNull();
  });

  it.each([
    ['(a+)+', /catastrophic/],
    ['(a*)*b', /catastrophic/],
    ['(a|aa)+', /catastrophic/],
    ['(?:x\\d+){2,}', /catastrophic/],
    ['((ab)*c)*', /catastrophic/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['foo(?=bar)', /lookahead/],
    ['(?<!x)y', /lookahead/],
    ['.*.*x', /at most one unbounded/],
    ['\\d+\\s*', /at most one unbounded/],
    ['a{1,1000}', /more than/],
    ['', /empty/],
    ['x'.repeat(501), /at most 500/],
    ['(', /not a valid regular expression/],
  ])('refuses %s', (p, why) => {
    expect(regexProblem(p)).toMatch(why);
  });

  it('checks flags', () => {
    expect(regexProblem('a', 'i')).toBeNull();
    expect(regexProblem('a', 'ii')).toMatch(/flags/);
    expect(regexProblem('a', 'y')).toMatch(/flags/);
  });
});
