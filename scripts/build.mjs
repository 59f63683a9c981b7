// Compiles src/ to dist/ (same layout, one .js per .ts: type-only syntax removed, nothing bundled),
// so that `npm start` runs plain JavaScript without a TypeScript loader in the server process.
// Type checking is `npm run typecheck`'s job. Runs in well under a second.
//
// Safe while other processes of this checkout run dist/ or build it too (several `npm start` at
// once, a test run beside a server): dist/ is never emptied; only files whose content changed are
// replaced, each by an atomic rename, so a reader sees the old file or the new one, never a missing
// or half-written one. Builds of the same sources write the same bytes, so racing builds agree.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const SOURCE = 'src';
const OUT = 'dist';

const files = (await readdir(SOURCE, { recursive: true })).map((file) => path.join(SOURCE, file));
const compiled = await build({
  entryPoints: files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts')),
  outdir: OUT,
  outbase: SOURCE,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  write: false,
});
const outputs = new Map(compiled.outputFiles.map((file) => [path.relative(process.cwd(), file.path), file.contents]));
for (const file of files.filter((file) => file.endsWith('.mjs'))) {
  outputs.set(path.join(OUT, path.relative(SOURCE, file)), await readFile(file));
}

for (const [file, contents] of outputs) await replaceIfChanged(file, contents);
await removeFilesNotIn(outputs);

async function replaceIfChanged(file, contents) {
  const current = await readFile(file).catch(() => undefined);
  if (current?.equals(contents)) return;
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/** Output of deleted or renamed sources would linger otherwise. */
async function removeFilesNotIn(outputs) {
  for (const entry of await readdir(OUT, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    // Another build's temporary file is about to be renamed into place: leave it to that build.
    if (outputs.has(file) || /\.\d+-[0-9a-f]{8}\.tmp$/.test(file)) continue;
    await rm(file, { force: true });
  }
}
