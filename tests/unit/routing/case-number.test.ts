import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from '../../../routing/case-number.ts';

describe('case numbers', () => {
  it('start at CS0001001 and round-trip', () => {
    expect(formatCaseNumber(1)).toBe('CS0001001');
    expect(formatCaseNumber(2)).toBe('CS0001002');
    expect(formatCaseNumber(9_998_999)).toBe('CS9999999');
    expect(formatCaseNumber(9_999_000)).toBe('CS10000000');
    for (const id of [1, 42, 123_456, 9_999_000]) expect(parseCaseNumber(formatCaseNumber(id))).toBe(id);
  });
  it('refuses what is not a case number', () => {
    for (const s of ['', 'CS', 'CS123', 'CS0001000', 'CS0000001', 'XX0001001', 'CS0001001x', 'CS-0001001']) expect(parseCaseNumber(s)).toBeNull();
    expect(parseCaseNumber(' cs0001001 ')).toBe(1);
  });
});
