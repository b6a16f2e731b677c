/** A PATCH body: only the fields a form changed, so a save touches nothing else (an offer timeout restamps open offers, new overflow steps replan waiting cases). */
export function changedFields<T extends object>(original: Partial<Record<keyof T, unknown>>, next: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    if (JSON.stringify(next[key] ?? null) !== JSON.stringify(original[key] ?? null)) out[key] = next[key];
  }
  return out;
}

/** "" → null, else the number typed (the server says what is wrong with it) */
export function numberOrNull(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}
