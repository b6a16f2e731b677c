/** Slack's message markup in both directions: our text made safe for it, and its markup turned into plain text. Pure. */

/**
 * Escapes the three characters Slack treats as markup. Customer text then shows literally: no `<!channel>`
 * pings, no `<@U…>` mentions, no disguised links.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack message text (with its entities) as the plain text a customer should receive. */
export function slackToPlain(text: string, userName: (id: string) => string | undefined = () => undefined): string {
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => entityText(inner, userName));
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function entityText(inner: string, userName: (id: string) => string | undefined): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return `@${label ?? userName(target.slice(1)) ?? 'someone'}`;
  if (target.startsWith('#')) return `#${label ?? 'channel'}`;
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special === 'here' || special === 'channel' || special === 'everyone') return `@${special}`;
    // subteams (<!subteam^ID|@team>) and dates (<!date^…|fallback>) carry their readable form as the label
    return label ?? '';
  }
  if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
  if (label === undefined || label === target) return target;
  return `${label} (${target})`;
}

/** At most `max` characters, cut at a line or word end when one is near, with a marker when cut. */
export function truncate(text: string, max: number, marker = '…'): string {
  if (text.length <= max) return text;
  const room = max - marker.length;
  const cut = text.slice(0, room);
  const soft = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf(' '));
  return `${soft > room * 0.8 ? cut.slice(0, soft) : cut}${marker}`;
}

/** The first `lines` non-empty lines of a text, joined, for previews. */
export function firstLines(text: string, lines: number): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, lines)
    .join('\n');
}

/** Each line prefixed as a Slack block quote. */
export function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `>${l}`)
    .join('\n');
}
