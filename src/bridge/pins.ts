import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { canonicalJson, sha256Hex } from '../shared/canonical.js';
import type { Tool } from '../shared/mcp.js';

const PinFileSchema = z.object({
  version: z.literal(1),
  gateway: z.string(),
  acceptedAt: z.string(),
  tools: z.record(z.string(), z.string()),
});
type PinFile = z.infer<typeof PinFileSchema>;

/** What changed in a gateway's catalogue since the user last accepted it. */
export interface CatalogDrift {
  changed: string[];
  removed: string[];
  added: string[];
}

/** The hash of what the model reads about a tool: name, description, input schema, annotations. */
export function toolHash(tool: Tool): string {
  return sha256Hex(canonicalJson({ name: tool.name, description: tool.description ?? null, inputSchema: tool.inputSchema, annotations: tool.annotations ?? null }));
}

export function hasDrift(d: CatalogDrift): boolean {
  return d.changed.length > 0 || d.removed.length > 0;
}

/**
 * Remembered tool hashes per gateway (HOOP_MCP_HOME/pins), so a tool whose description or schema
 * changes under the agent (a "rug pull") is noticed. The first catalogue seen is trusted; new
 * tools are recorded as they appear; a changed or removed tool stays flagged until accepted.
 */
export class PinStore {
  readonly file: string;

  constructor(
    home: string,
    private readonly gateway: string,
  ) {
    this.file = join(home, 'pins', `tools-${sha256Hex(gateway).slice(0, 16)}.json`);
  }

  async load(): Promise<PinFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return undefined;
    }
    const parsed = PinFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success || parsed.data.gateway !== this.gateway) throw new Error(`${this.file} is not a hoop-mcp pin file; delete it and run: npx hoop-mcp tools accept`);
    return parsed.data;
  }

  /** Compares with the pins and records tools seen for the first time. */
  async check(tools: readonly Tool[]): Promise<CatalogDrift> {
    const pins = await this.load();
    if (pins === undefined) {
      await this.accept(tools);
      return { changed: [], removed: [], added: [] };
    }
    const drift = diff(pins.tools, tools);
    if (drift.added.length > 0) {
      for (const t of tools) if (drift.added.includes(t.name)) pins.tools[t.name] = toolHash(t);
      await this.write(pins);
    }
    return drift;
  }

  async accept(tools: readonly Tool[]): Promise<void> {
    await this.write({ version: 1, gateway: this.gateway, acceptedAt: new Date().toISOString(), tools: Object.fromEntries(tools.map((t) => [t.name, toolHash(t)])) });
  }

  private async write(pins: PinFile): Promise<void> {
    await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
  }
}

export function diff(pinned: Record<string, string>, tools: readonly Tool[]): CatalogDrift {
  const seen = new Set(tools.map((t) => t.name));
  return {
    changed: tools.filter((t) => pinned[t.name] !== undefined && pinned[t.name] !== toolHash(t)).map((t) => t.name),
    removed: Object.keys(pinned).filter((n) => !seen.has(n)),
    added: tools.filter((t) => pinned[t.name] === undefined).map((t) => t.name),
  };
}

export function describeDrift(d: CatalogDrift): string {
  const parts: string[] = [];
  if (d.changed.length > 0) parts.push(`changed: ${d.changed.join(', ')}`);
  if (d.removed.length > 0) parts.push(`removed: ${d.removed.join(', ')}`);
  return parts.join('; ');
}
