// Compiles src/ to dist/ (same layout, one .js per .ts: type-only syntax removed, nothing bundled),
// so that `npm start` runs plain JavaScript without a TypeScript loader in the server process.
// Type checking is `npm run typecheck`'s job. Runs in well under a second.
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const SOURCE = 'src';
const OUT = 'dist';

const files = (await readdir(SOURCE, { recursive: true })).map((file) => path.join(SOURCE, file));
await rm(OUT, { recursive: true, force: true });
await build({
  entryPoints: files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
  outdir: OUT,
  outbase: SOURCE,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
for (const file of files.filter((file) => file.endsWith('.mjs'))) {
  const target = path.join(OUT, path.relative(SOURCE, file));
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(file, target);
}
