/**
 * Prints the reply trimmer's exact-match rate on each labelled reply set (see reply-cases.ts), family by
 * family for the sets whose file names start with one, and the cases it misses.
 *   npx tsx channels/email/scripts/measure-trimming.ts [--misses]
 */
import { normalizeReply, replyParser, replySets, trimCase } from './reply-cases.ts';

const showMisses = process.argv.includes('--misses');
const parser = replyParser();
try {
  for (const set of replySets()) {
    const byFamily = new Map<string, { total: number; exact: number }>();
    const misses: string[] = [];
    for (const c of set.cases) {
      const got = normalizeReply(await trimCase(c, parser));
      const ok = got === normalizeReply(c.expected);
      const family = set.id === 'email-reply-families' ? c.name.split('-')[0]! : 'all';
      const f = byFamily.get(family) ?? { total: 0, exact: 0 };
      f.total++;
      if (ok) f.exact++;
      byFamily.set(family, f);
      if (!ok) misses.push(showMisses ? `--- ${c.name}\n${got}\n--- expected\n${normalizeReply(c.expected)}\n` : c.name);
    }
    const total = set.cases.length;
    const exact = total - misses.length;
    console.log(`\n${set.title}: ${exact} of ${total} exact (${((100 * exact) / (total || 1)).toFixed(1)}%)`);
    if (byFamily.size > 1) for (const [family, f] of byFamily) console.log(`  ${family.padEnd(10)} ${f.exact} / ${f.total}`);
    if (misses.length) console.log(`  missed: ${showMisses ? `\n${misses.join('\n')}` : misses.join(', ')}`);
  }
} finally {
  await parser.close();
}
