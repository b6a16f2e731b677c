import { describe, expect, it } from 'vitest';
import { field, parseFormBody } from '../../../../channels/sms/form-body.ts';

describe('parseFormBody', () => {
  it('decodes plus signs, percent escapes and UTF-8', () => {
    const { fields, invalidUtf8 } = parseFormBody(Buffer.from('Body=Hi+there%2C+caf%C3%A9+%F0%9F%91%8D&From=%2B447700900123'));
    expect(fields.Body).toBe('Hi there, café 👍');
    expect(fields.From).toBe('+447700900123');
    expect(invalidUtf8).toBe(false);
  });

  it('collects repeated keys into an array, first value via field()', () => {
    const { fields } = parseFormBody(Buffer.from('A=1&A=2&A=3&B='));
    expect(fields.A).toEqual(['1', '2', '3']);
    expect(field(fields, 'A')).toBe('1');
    expect(fields.B).toBe('');
  });

  it('keeps a key without "=" as an empty value and skips empty pairs', () => {
    const { fields } = parseFormBody(Buffer.from('&&Flag&X=y&'));
    expect({ ...fields }).toEqual({ Flag: '', X: 'y' });
  });

  it('replaces invalid percent-encoded UTF-8 and says so', () => {
    const { fields, invalidUtf8 } = parseFormBody(Buffer.from('Body=bad%FF%FEbytes'));
    expect(fields.Body).toBe('bad\uFFFD\uFFFDbytes');
    expect(invalidUtf8).toBe(true);
  });

  it('replaces invalid raw bytes and says so', () => {
    const { fields, invalidUtf8 } = parseFormBody(Buffer.concat([Buffer.from('Body=ab'), Buffer.from([0xc3, 0x28]), Buffer.from('&X=1')]));
    expect(fields.Body).toBe('ab\uFFFD(');
    expect(fields.X).toBe('1');
    expect(invalidUtf8).toBe(true);
  });

  it('keeps malformed escapes literally instead of throwing', () => {
    const { fields } = parseFormBody(Buffer.from('Body=100%25+sure+%ZZ+%4'));
    expect(fields.Body).toBe('100% sure %ZZ %4');
  });

  it('treats __proto__ as a plain key', () => {
    const { fields } = parseFormBody(Buffer.from('__proto__=x&constructor=y'));
    expect(fields.__proto__).toBe('x');
    expect(fields.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
