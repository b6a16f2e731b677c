// Copies what the compiled gateway reads at run time besides its code (pages, scripts and styles it
// serves, migrations, the built workspace) into dist/, at the same paths relative to the code that reads them.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.resolve(root, process.argv[2] ?? 'dist');
const ASSET = /\.(html|css|js|sql|toml|prisma)$/;

function copyAssets(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'generated') copyAssets(rel);
    } else if (ASSET.test(entry.name)) {
      fs.mkdirSync(path.join(out, dir), { recursive: true });
      fs.copyFileSync(path.join(root, rel), path.join(out, rel));
    }
  }
}
for (const dir of ['gateway', 'channels', 'store']) copyAssets(dir);
// the built workspace (npm run build builds it first), where the console routes look for it
fs.cpSync(path.join(root, 'web', 'dist'), path.join(out, 'web', 'dist'), { recursive: true });
