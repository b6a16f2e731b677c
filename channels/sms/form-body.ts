/** application/x-www-form-urlencoded → fields, tolerant of bad bytes (never throws). */
export type FormFields = Record<string, string | string[]>;

export interface ParsedForm {
  fields: FormFields;
  /** true when some bytes were not UTF-8 and were replaced by U+FFFD */
  invalidUtf8: boolean;
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

export function parseFormBody(body: Buffer): ParsedForm {
  const raw = decodeBytes(body);
  let invalidUtf8 = raw.invalid;
  // a null prototype keeps "__proto__" and friends plain keys
  const fields: FormFields = Object.create(null) as FormFields;
  for (const pair of raw.text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = decodeComponent(eq === -1 ? '' : pair.slice(eq + 1));
    invalidUtf8 ||= key.invalid || value.invalid;
    const existing = fields[key.text];
    if (existing === undefined) fields[key.text] = value.text;
    else if (Array.isArray(existing)) existing.push(value.text);
    else fields[key.text] = [existing, value.text];
  }
  return { fields, invalidUtf8 };
}

/** The single value of a field; a repeated field gives its first value. */
export function field(fields: FormFields, name: string): string | undefined {
  const value = fields[name];
  return Array.isArray(value) ? value[0] : value;
}

function decodeBytes(bytes: Uint8Array): { text: string; invalid: boolean } {
  try {
    return { text: strict.decode(bytes), invalid: false };
  } catch {
    return { text: lenient.decode(bytes), invalid: true };
  }
}

/** Percent-decoding by hand: decodeURIComponent throws on bad escapes, this keeps them literally. */
function decodeComponent(part: string): { text: string; invalid: boolean } {
  const spaced = part.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return { text: spaced, invalid: false };
  const bytes: number[] = [];
  for (let i = 0; i < spaced.length; i++) {
    const ch = spaced.charCodeAt(i);
    if (ch === 0x25 && /^[0-9a-fA-F]{2}$/.test(spaced.slice(i + 1, i + 3))) {
      bytes.push(parseInt(spaced.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch < 0x80) {
      bytes.push(ch);
    } else {
      // already-decoded non-ASCII text: re-encode so the whole part decodes in one pass
      const cp = spaced.codePointAt(i)!;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      if (cp > 0xffff) i++;
    }
  }
  return decodeBytes(Uint8Array.from(bytes));
}
