import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { ToolSchema, type Tool } from '../shared/mcp.js';

const CacheFileSchema = z.object({
  gateway: z.string(),
  savedAt: z.string(),
  tools: z.array(ToolSchema),
});
export type CachedCatalog = z.infer<typeof CacheFileSchema>;

/**
 * The last tool list a gateway served, kept under HOOP_MCP_HOME/cache so a client that starts
 * while the gateway is down still sees the tools. Holds no secrets: names and schemas only.
 */
export class CatalogCache {
  private readonly file: string;

  constructor(
    home: string,
    private readonly gateway: string,
  ) {
    const key = createHash('sha256').update(gateway).digest('hex').slice(0, 16);
    this.file = join(home, 'cache', `tools-${key}.json`);
  }

  async load(): Promise<CachedCatalog | undefined> {
    try {
      const parsed = CacheFileSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
      return parsed.success && parsed.data.gateway === this.gateway ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  async save(tools: Tool[]): Promise<void> {
    const body: CachedCatalog = { gateway: this.gateway, savedAt: new Date().toISOString(), tools };
    await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(body), { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
