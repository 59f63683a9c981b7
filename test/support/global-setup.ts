import { execFileSync } from 'node:child_process';

/** Server processes started by tests run `npm start`'s compiled dist/: compile it fresh once per run. */
export default function compileServer(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
