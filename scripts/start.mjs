// `npm start` (all), `npm run start:api`, `npm run start:worker`: build what is missing, then run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'all';

const newest = (dir) => {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return latest;
};
const stale = (output, sources) => !existsSync(output) || sources.some((s) => newest(s) > statSync(output).mtimeMs);

const run = (args) => {
  const r = spawnSync('npm', args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const shared = path.join(root, 'shared/src');
if (mode !== 'worker' && stale(path.join(root, 'web/dist/index.html'), [path.join(root, 'web/src'), shared])) {
  console.log('Building the web app…');
  run(['run', 'build', '-w', 'web']);
}
if (stale(path.join(root, 'server/dist/main.js'), [path.join(root, 'server/src'), shared])) {
  console.log('Building the server…');
  run(['run', 'build', '-w', 'server']);
}

const { default: mainPath } = { default: path.join(root, 'server/dist/main.js') };
process.argv = [process.argv[0], mainPath, mode];
await import(mainPath);
