/**
 * Sums a V8 .cpuprofile (node --cpu-prof) by self time: per function and per file or package, as
 * percentages of the busy time (idle left out), to say where a server spends its CPU.
 *   npx tsx bench/lib/cpu-profile-summary.ts <file.cpuprofile> [top]
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './server-process.ts';
import { round } from './stats.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  percent: number;
  ms: number;
}

export interface ProfileSummary {
  busyMs: number;
  idlePercent: number;
  /** self time by layer: the database client, the SQLite driver, the runtime, the framework, our code */
  byLayer: ProfileLine[];
  byFunction: ProfileLine[];
  byFile: ProfileLine[];
  /** total time (self and callees) of the project's own functions: which of our code paths cost most */
  byProjectFunction: ProfileLine[];
}

/** node_modules/<pkg> for dependencies, the path under the project for our own code. */
function fileOf(url: string): string {
  if (!url) return '(native / V8)';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (file.startsWith('node:')) return 'node: (Node.js internals)';
  return file.startsWith(ROOT) ? path.relative(ROOT, file) : file;
}

const LAYERS: Array<[RegExp, string]> = [
  [/^node_modules\/(@prisma\/client|\.prisma|@prisma\/debug|@prisma\/client-runtime-utils)/, 'Prisma client (query compiler and interpreter)'],
  [/^node_modules\/(@prisma\/adapter-better-sqlite3|better-sqlite3)/, 'SQLite driver (statements, execution, commits)'],
  [/^node_modules\/(fastify|@fastify\/.*|find-my-way|ajv.*|fast-json-stringify|light-my-request|avvio|pino.*|ws|secure-json-parse)/, 'Fastify, WebSocket, logging'],
  [/^(gateway|channels|routing|nlp|store)\//, 'Switchboard code'],
  [/^node_modules\//, 'other dependencies'],
  [/^\(garbage collector\)$/, 'garbage collector'],
];

function layerOf(where: string): string {
  for (const [re, name] of LAYERS) if (re.test(where)) return name;
  return 'Node.js runtime, I/O and V8';
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // WebAssembly has no file of its own: it belongs to the package whose JavaScript called into it
  const wasmOwner = (id: number): string => {
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)!.callFrame.url;
      if (url && !url.startsWith('wasm:')) return fileOf(url);
    }
    return '(wasm)';
  };
  let idle = 0;
  let busy = 0;
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const layer = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const where = url.startsWith('wasm:') ? `${wasmOwner(id)} (wasm)` : fileOf(url);
    const layerName = layerOf(url ? where : functionName);
    layer.set(layerName, (layer.get(layerName) ?? 0) + us);
    // lines only for dependencies: our files run transpiled by tsx, so their lines are not the source's
    const name = url ? `${functionName || '(anonymous)'} ${where}${where.startsWith('node_modules') ? `:${lineNumber + 1}` : ''}` : functionName;
    fn.set(name, (fn.get(name) ?? 0) + us);
    file.set(url ? where : functionName, (file.get(url ? where : functionName) ?? 0) + us);
  }
  // inclusive time of our own functions: every sample credits each distinct project frame on its stack once
  const own = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      const where = fileOf(url);
      if (!url || where.startsWith('node') || where.startsWith('/') || url.startsWith('wasm:')) continue;
      const name = `${functionName || '(anonymous)'} ${where}`;
      if (seen.has(name)) continue;
      seen.add(name);
      own.set(name, (own.get(name) ?? 0) + us);
    }
  }
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, percent: round((100 * us) / busy, 1), ms: round(us / 1000, 0) }));
  return {
    busyMs: round(busy / 1000, 0),
    idlePercent: round((100 * idle) / (idle + busy), 1),
    byLayer: lines(layer),
    byFunction: lines(fn),
    byFile: lines(file),
    byProjectFunction: lines(own),
  };
}

export function printProfileSummary(title: string, s: ProfileSummary): void {
  console.log(`\n${title}: ${s.busyMs} ms on CPU (${s.idlePercent}% of the profile idle)`);
  console.log('  by layer (self time):');
  for (const l of s.byLayer) console.log(`    ${String(l.percent).padStart(5)}%  ${l.name}`);
  console.log('  by file or package (self time):');
  for (const l of s.byFile) console.log(`    ${String(l.percent).padStart(5)}%  ${l.name}`);
  console.log('  by function (self time):');
  for (const l of s.byFunction) console.log(`    ${String(l.percent).padStart(5)}%  ${l.name}`);
  console.log('  our own functions (total time, callees included):');
  for (const l of s.byProjectFunction) console.log(`    ${String(l.percent).padStart(5)}%  ${l.name}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) throw new Error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
  const summary = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, Number(process.argv[3] ?? 15));
  printProfileSummary(path.basename(file), summary);
}
