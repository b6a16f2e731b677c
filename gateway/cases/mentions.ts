/**
 * The agents a note mentions: `@` followed by an agent's full name, or by their first name when no other
 * agent shares it, case-insensitive, ending at a word boundary; the longest name wins ("@Ann Lee" over
 * "@Ann"). Pure: the text and the team in, the ids out, in the order first mentioned.
 */
export function findMentions(text: string, agents: ReadonlyArray<{ id: string; name: string }>): string[] {
  if (!text.includes('@')) return [];
  const firstNames = new Map<string, string[]>();
  for (const a of agents) {
    const first = a.name.trim().split(/\s+/u)[0]!.toLowerCase();
    firstNames.set(first, [...(firstNames.get(first) ?? []), a.id]);
  }
  // every way to name someone, longest first
  const handles = [
    ...agents.map((a) => ({ handle: a.name.trim().toLowerCase(), id: a.id })),
    ...[...firstNames].filter(([, ids]) => ids.length === 1).map(([first, ids]) => ({ handle: first, id: ids[0]! })),
  ]
    .filter((h) => h.handle.length > 0)
    .sort((a, b) => b.handle.length - a.handle.length);
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (let at = lower.indexOf('@'); at !== -1; at = lower.indexOf('@', at + 1)) {
    // an email address is no mention: the @ must start a word
    if (at > 0 && /[\p{L}\p{N}._%+-]/u.test(lower[at - 1]!)) continue;
    const rest = lower.slice(at + 1);
    const hit = handles.find((h) => rest.startsWith(h.handle) && !/[\p{L}\p{N}]/u.test(rest[h.handle.length] ?? ''));
    if (hit && !found.includes(hit.id)) found.push(hit.id);
  }
  return found;
}
