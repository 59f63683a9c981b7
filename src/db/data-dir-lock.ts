import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * One process at a time in a PGlite data directory: two would each run PostgreSQL on the same files
 * and corrupt them.
 *
 * The lock is the file `bouncer.lock.<n>` with the highest n in the directory; it holds its
 * process's pid, host, start time and (on Linux) the kernel's boot id and the process's start tick.
 * A lock whose process is gone is taken over by creating `bouncer.lock.<n+1>`: creating a file by
 * link() is atomic and exclusive, so of several processes taking over one dead holder's lock exactly
 * one succeeds, and the others then find a living holder and give up. (Deleting the dead holder's
 * file and creating the same name again would let a slow second process delete the first's new lock.)
 * No lock survives its process in any way that matters: the next start checks whether the holder
 * lives, so a restart right after `kill -9` starts at once.
 */

/** A data directory that cannot be used; the message is one line for the operator. */
export class DataDirError extends Error {}

type Holder = {
  pid: number;
  host: string;
  startedAt: string;
  /** Linux: /proc/sys/kernel/random/boot_id; tells a reboot or another machine from this one. */
  bootId?: string;
  /** Linux: the process's start time in clock ticks since boot; tells a reused pid from the holder. */
  processStart?: string;
};

const LOCK_FILE = /^bouncer\.lock\.([0-9]+)$/;
const ATTEMPTS = 20;

export type DataDirLock = { release: () => Promise<void> };

/** Creates the directory if needed and locks it; throws DataDirError when it is unusable or held. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await createDirectory(dataDir);
  const me: Holder = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    ...linuxIdentity(process.pid),
  };
  // Written in full under a name of its own first, then linked: a reader never sees a partial record.
  const draft = path.join(dataDir, `bouncer.lock.draft-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(draft, `${JSON.stringify(me)}\n`, { flag: 'wx' });
  } catch (error) {
    throw new DataDirError(`DATA_DIR ${dataDir} is not writable: ${describe(error)}`);
  }
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const generations = await lockGenerations(dataDir);
      const top = generations.at(-1) ?? 0;
      if (top > 0) {
        const file = lockFile(dataDir, top);
        const holder = await readHolder(file);
        if (holder === 'gone') continue; // released meanwhile: look again
        if (holder === 'unreadable' || holderIsAlive(holder)) throw lockedError(dataDir, file, holder);
      }
      const mine = lockFile(dataDir, top + 1);
      try {
        await link(draft, mine);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        await pause(); // another process took this generation: look at its holder
        continue;
      }
      // A process that listed the files before a newer generation existed may have recreated an
      // older, already removed one: only the highest generation is the lock.
      const now = await lockGenerations(dataDir);
      if (now.at(-1)! > top + 1) {
        await unlink(mine).catch(() => {});
        continue;
      }
      for (const older of now.filter((generation) => generation < top + 1)) {
        await unlink(lockFile(dataDir, older)).catch(() => {});
      }
      let released = false;
      return {
        release: async () => {
          if (released) return;
          released = true;
          await unlink(mine).catch(() => {});
        },
      };
    }
    throw new DataDirError(`DATA_DIR ${dataDir}: could not take its lock (other processes kept changing it); try again`);
  } finally {
    await unlink(draft).catch(() => {});
  }
}

async function createDirectory(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new DataDirError(`DATA_DIR ${dataDir} is not a directory (a file is in the way)`);
    }
    throw new DataDirError(`DATA_DIR ${dataDir} cannot be created: ${describe(error)}`);
  }
}

function lockFile(dataDir: string, generation: number): string {
  return path.join(dataDir, `bouncer.lock.${generation}`);
}

async function lockGenerations(dataDir: string): Promise<number[]> {
  return (await readdir(dataDir))
    .map((name) => LOCK_FILE.exec(name)?.[1])
    .filter((generation): generation is string => generation !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

async function readHolder(file: string): Promise<Holder | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    return 'unreadable';
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? holder : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * Whether the recorded process still runs. When that cannot be known (another machine sharing the
 * directory over a network filesystem), it is assumed to run: the operator decides.
 */
export function holderIsAlive(holder: Holder): boolean {
  const here = linuxIdentity(process.pid);
  if (holder.bootId && here.bootId && holder.bootId !== here.bootId) {
    return holder.host !== hostname(); // same host, new boot id: rebooted since, so the holder is gone
  }
  if (!holder.bootId && holder.host !== hostname()) return true;
  // A container restarted after a kill often gives the new server (or its parent, npm) the same pid.
  if (holder.pid === process.pid || holder.pid === process.ppid) return false;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // A living process has that pid; it is the holder only if it started when the holder did.
  const now = linuxIdentity(holder.pid).processStart;
  return !(holder.processStart && now && now !== holder.processStart);
}

function linuxIdentity(pid: number): Pick<Holder, 'bootId' | 'processStart'> {
  if (process.platform !== 'linux') return {};
  try {
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    // Field 22 of /proc/<pid>/stat; counted after the command name, which may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const processStart = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return { bootId, ...(processStart && { processStart }) };
  } catch {
    return {};
  }
}

function lockedError(dataDir: string, file: string, holder: Holder | 'unreadable'): DataDirError {
  const who =
    holder === 'unreadable'
      ? 'a process whose lock file cannot be read'
      : `pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt}`;
  return new DataDirError(
    `DATA_DIR ${dataDir} is in use by another server process (${who}; lock file ${file}). ` +
      'Only one process may use an embedded database directory: stop that one first, or delete the lock file if it is gone.',
  );
}

function describe(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return code ? `${code} (${message.replace(/^[A-Z]+: /, '')})` : String(message);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40));
