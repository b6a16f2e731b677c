// Builds the workspace (web/) with Vite into web/dist when a source is newer than the last build, or when
// asked to (--force). Runs at install, before `npm start`, before the tests and in `npm run build`.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';

const WEB = path.resolve(import.meta.dirname, '..', 'web');
const BUILT = path.join(WEB, 'dist', 'index.html');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds web/dist unless it is newer than every source; returns whether it built. */
export async function buildWeb({ force = false } = {}) {
  if (!force && fs.existsSync(BUILT) && fs.statSync(BUILT).mtimeMs >= newestSource(WEB)) return false;
  // an install without development packages (npm ci --omit=dev) has no Vite: `npm run build` made web/dist before
  const vite = await import('vite').catch(() => null);
  if (!vite) {
    if (fs.existsSync(BUILT)) return false;
    throw new Error('web/dist is missing and Vite is not installed: run `npm install` (with development packages) or `npm run build` first');
  }
  const { build } = vite;
  await build({ configFile: path.join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  compressAssets(path.join(WEB, 'dist', 'assets'));
  return true;
}

/** A brotli and a gzip copy of each script and style file, which the gateway sends to browsers that take them. */
function compressAssets(dir) {
  for (const name of fs.readdirSync(dir)) {
    if (!/\.(js|css)$/.test(name)) continue;
    const content = fs.readFileSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, `${name}.br`), zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
    fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(content, { level: 9 }));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildWeb({ force: process.argv.includes('--force') });
  console.log(built ? 'workspace built into web/dist' : 'workspace up to date (web/dist)');
}
