import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import type { SecretStore } from './credential.js';

const FileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), z.string()) });

/**
 * The fallback for machines without a reachable keychain (containers, CI, headless Linux):
 * HOOP_MCP_HOME/credentials.json, mode 0600 in a 0700 directory. Used only when the keychain
 * cannot be, and `login` says so out loud.
 */
export class FileStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly path: string;

  constructor(private readonly home: string) {
    this.path = join(home, 'credentials.json');
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.read()).entries[account];
  }

  async set(account: string, secret: string): Promise<void> {
    const file = await this.read();
    file.entries[account] = secret;
    await this.write(file);
  }

  async delete(account: string): Promise<boolean> {
    const file = await this.read();
    if (!(account in file.entries)) return false;
    delete file.entries[account];
    await this.write(file);
    return true;
  }

  private async read(): Promise<z.infer<typeof FileSchema>> {
    try {
      const parsed = FileSchema.safeParse(JSON.parse(await readFile(this.path, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // missing or unreadable: start empty
    }
    return { version: 1, entries: {} };
  }

  private async write(file: z.infer<typeof FileSchema>): Promise<void> {
    await mkdir(this.home, { recursive: true, mode: 0o700 });
    await chmod(this.home, 0o700);
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(file, null, 2), { mode: 0o600 });
    await rename(tmp, this.path);
  }
}
