/** The results table printed at the end of a run. */
import type { ScenarioResult } from './scenario.ts';

const COLUMNS = ['scenario', 'messages', 'msg/s', 'latency of', 'p50 ms', 'p99 ms', 'peak RSS MB', 'CPU ms/msg', 'ratio'] as const;

function cells(r: ScenarioResult): string[] {
  return [
    r.title,
    String(r.messages),
    String(r.perSecond),
    r.latencyOf,
    String(r.latencyMs.p50),
    String(r.latencyMs.p99),
    String(r.peakRssMb),
    r.cpuMsPerMessage === undefined ? '' : r.cpuMsPerMessage.toFixed(2),
    r.ratio === undefined ? '' : r.ratio.toFixed(3),
  ];
}

/** A Markdown table, so it reads in a terminal and pastes into documentation as is. */
export function resultsTable(results: ScenarioResult[]): string {
  const rows = [COLUMNS.slice(), ...results.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 || i === 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 || i === 3 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}
