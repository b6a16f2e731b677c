import { describe, expect, it } from 'vitest';
import { compileSafeRegex, MAX_REGEX_TEXT, regexProblem } from '../../../routing/regex-safety.ts';

const problem = (p: string, flags?: string) => regexProblem(p, flags)?.message ?? null;

describe('regexProblem', () => {
  it.each([
    'refund',
    '\\bCS\\d{7}\\b',
    'order\\s*#?\\d+',
    '.*.*x',
    '(refund|money back)',
    '^re:',
    '[a-z]+@bigcorp\\.com',
    '(?:ab){2,5}',
    'colou?r',
    '[(+*]',
    '\\(a+\\)?',
    '(?P<num>\\d{3})-\\d{4}',
    'a?'.repeat(30) + 'a'.repeat(30),
  ])('accepts %s', (p) => {
    expect(problem(p)).toBeNull();
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
    ['a{1,1000}', /more than/],
    ['a{5000}', /more than/],
    ['', /empty/],
    ['x'.repeat(501), /at most 500/],
    ['(', /not a valid regular expression/],
    ['a)', /not a valid regular expression/],
  ])('refuses %s', (p, why) => {
    expect(problem(p)).toMatch(why);
  });

  it('checks flags and says the flags are the problem', () => {
    expect(regexProblem('a', 'i')).toBeNull();
    expect(regexProblem('a', 'ii')).toEqual({ field: 'flags', message: expect.stringMatching(/each once/) });
    expect(regexProblem('a', 'y')?.field).toBe('flags');
    expect(regexProblem('a', 'g')?.field).toBe('flags');
  });
});

describe('compileSafeRegex', () => {
  it('finds matches with the flags given', () => {
    expect(compileSafeRegex('order\\s*#?(\\d+)', 'i').find('My ORDER #1234 is late')).toBe('ORDER #1234');
    expect(compileSafeRegex('order', '').find('My ORDER')).toBeNull();
    expect(compileSafeRegex('^b', 'm').find('a\nb')).toBe('b');
    expect(compileSafeRegex('a.b', 's').find('a\nb')).toBe('a\nb');
  });

  it('runs in linear time on inputs that hang a backtracking engine', () => {
    // each of these takes seconds to minutes in a backtracking engine on this input
    const text = 'a'.repeat(MAX_REGEX_TEXT) + '!';
    const started = performance.now();
    expect(compileSafeRegex('a{0,100}a{0,100}a{0,100}b').find(text)).toBeNull();
    expect(compileSafeRegex('a?'.repeat(30) + 'a'.repeat(30) + 'b').find(text)).toBeNull();
    // a generous budget that only a hang would exceed
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('looks only at the first MAX_REGEX_TEXT characters', () => {
    const re = compileSafeRegex('needle');
    expect(re.find(`${'x'.repeat(MAX_REGEX_TEXT - 6)}needle`)).toBe('needle');
    expect(re.find(`${'x'.repeat(MAX_REGEX_TEXT)}needle`)).toBeNull();
  });
});
