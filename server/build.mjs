// Bundles the server into dist/main.js, and the report renderer's child process into
// dist/render-process.js beside it. Dependencies stay in node_modules; only the workspace's own
// TypeScript (server + shared schemas) is compiled in.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url)));
const external = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });

await build({
  entryPoints: { main: 'src/main.ts', 'render-process': 'src/reports/render/render-process.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: [...external, ...external.map((d) => `${d}/*`)],
  logLevel: 'warning',
});
