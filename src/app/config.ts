import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { CREDENTIAL_STORES } from '../auth/credential.js';

/** Non-secret settings per profile. Secrets never go here: they live in the credential stores. */
export const ProfileSchema = z.object({
  gateway: z.string(),
  credentialStore: z.enum(CREDENTIAL_STORES).optional(),
  /** A CA certificate file for this gateway (--ca-file at login). */
  caFile: z.string().optional(),
  /** Local tool controls; `serve` flags can narrow these, never widen them. */
  readOnly: z.boolean().optional(),
  /** Allow-list of tool-name globs (`*`). */
  tools: z.array(z.string()).optional(),
  /** Deny-list of tool-name globs; wins over `tools`. */
  excludeTools: z.array(z.string()).optional(),
  /** Hide tools whose definition changed until `hoop-mcp tools accept`. */
  pinTools: z.boolean().optional(),
});
export type Profile = z.infer<typeof ProfileSchema>;

export const ConfigSchema = z.object({
  version: z.literal(1),
  defaultProfile: z.string().optional(),
  profiles: z.record(z.string(), ProfileSchema),
});
export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_PROFILE = 'default';

export function configPath(home: string): string {
  return join(home, 'config.json');
}

/** Reads HOOP_MCP_HOME/config.json; a missing file is an empty config, a broken one is an error that says where. */
export async function loadConfig(home: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(configPath(home), 'utf8');
  } catch {
    return { version: 1, profiles: {} };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${configPath(home)} is not valid JSON; fix or delete it`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${configPath(home)} is not a hoop-mcp config (${parsed.error.issues[0]?.message ?? 'bad shape'}); fix or delete it`);
  return parsed.data;
}

export async function saveConfig(home: string, config: Config): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const tmp = `${configPath(home)}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, configPath(home));
}

/** Records a profile's non-secret settings; the first profile saved becomes the default. */
export async function rememberProfile(home: string, name: string, profile: Profile): Promise<void> {
  const config = await loadConfig(home);
  config.profiles[name] = { ...config.profiles[name], ...profile };
  config.defaultProfile ??= name;
  await saveConfig(home, config);
}
