import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A login found in hoop's own CLI config (`~/.hoop/config.toml`). */
export interface HoopCliLogin {
  gateway: string;
  token: string;
}

/**
 * Reads `api_url` and `token` from hoop's CLI config. The file is flat `key = "value"` TOML
 * written by hoop itself, so a line reader is enough; anything odd means "nothing to import".
 */
export async function readHoopCliLogin(path = join(homedir(), '.hoop', 'config.toml')): Promise<HoopCliLogin | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([a-z_]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) values.set(m[1], m[2].replace(/\\(.)/g, '$1'));
  }
  const gateway = values.get('api_url');
  const token = values.get('token');
  return gateway && token ? { gateway, token } : undefined;
}
