import { mkdir, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

const STALE_MS = 30_000;

/**
 * Runs `fn` while holding a lock file (created with O_EXCL, so it works the same on Windows).
 * Several bridges started by one client share a credential; writes to it go one at a time. A
 * lock older than 30 s is taken to be left over from a crash.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // The folder is created on first need only: this runs once per audited call.
      if (code === 'ENOENT') {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw err;
      const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_MS) await rm(path, { force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${path}`);
      else await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
