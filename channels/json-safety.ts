/**
 * Checks on untrusted JSON, shared by every JSON the gateway takes (API bodies, chat frames), so they
 * refuse the same things the same way.
 */

/** Deeper than any document we accept; JSON.parse of a few MB of nested brackets blocks for seconds. */
export const MAX_JSON_DEPTH = 64;

/** True when `text` nests objects/arrays deeper than `max` (brackets inside strings do not count). O(n), no parsing. */
export function nestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

/**
 * The path of the first string (value or key) holding a lone UTF-16 surrogate (`"\ud800"` is valid
 * JSON but not text: SQLite would store it as invalid UTF-8), or null when every string is well formed.
 */
export function findIllFormedString(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : path || '/';
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findIllFormedString(value[i], `${path}/${i}`);
      if (hit) return hit;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (!key.isWellFormed()) return `${path}/${key.toWellFormed()}`;
    const hit = findIllFormedString(v, `${path}/${key}`);
    if (hit) return hit;
  }
  return null;
}
