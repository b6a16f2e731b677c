/**
 * A plain, bounded HTML → text fallback for bodies the parser did not convert (HTML over its length
 * limit). Linear scans only, so hostile markup cannot make it slow; good enough to read and thread.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function htmlToPlainText(html: string, maxChars: number): string {
  return dropInvisibleBlocks(html.slice(0, maxChars * 4))
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/h[1-6])\b[^<>]*>/giu, '\n')
    .replace(/<[^<>]*>/gu, '')
    .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});/giu, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1]?.toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+\n/gu, '\n')
    .replace(/\n{3,}/gu, '\n\n')
    .trim();
}

/** removes <style>, <script> and <head> blocks; an unclosed one swallows the rest */
function dropInvisibleBlocks(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let at = 0;
  const open = /<(style|script|head)\b/gu;
  for (let m = open.exec(lower); m; m = open.exec(lower)) {
    if (m.index < at) continue;
    out += html.slice(at, m.index);
    const close = lower.indexOf(`</${m[1]}`, m.index);
    if (close < 0) return out;
    const end = lower.indexOf('>', close);
    at = end < 0 ? html.length : end + 1;
    open.lastIndex = at;
  }
  return out + html.slice(at);
}
