import { posix, win32 } from 'node:path';

import { z } from 'zod';

import { UsageError } from '../shared/errors.js';
import { DEFAULT_PROFILE } from './config.js';

/** The MCP clients `hoop-mcp install` knows, and where each keeps its servers. Pure: no I/O. */
export const CLIENTS = ['claude-code', 'cursor', 'claude-desktop', 'vscode'] as const;
export type ClientId = (typeof CLIENTS)[number];
export const SCOPES = ['project', 'user'] as const;
export type Scope = (typeof SCOPES)[number];

export interface InstallEnvironment {
  platform: NodeJS.Platform;
  /** The user's home directory. */
  home: string;
  /** The project directory (project scope). */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ClientConfigFile {
  path: string;
  /** The top-level key that maps server names to entries. */
  key: 'mcpServers' | 'servers';
}

const SERVER_KEY: Record<ClientId, ClientConfigFile['key']> = { 'claude-code': 'mcpServers', cursor: 'mcpServers', 'claude-desktop': 'mcpServers', vscode: 'servers' };

/** Claude Desktop has no project config; every other client defaults to the project, like their own "add server" commands. */
export function defaultScope(client: ClientId): Scope {
  return client === 'claude-desktop' ? 'user' : 'project';
}

/** Where a client reads its MCP servers, for one scope, on one platform. */
export function configFile(client: ClientId, scope: Scope, e: InstallEnvironment): ClientConfigFile {
  const path = e.platform === 'win32' ? win32 : posix;
  const key = SERVER_KEY[client];
  if (scope === 'project') {
    if (client === 'claude-desktop') throw new UsageError('claude-desktop has no project configuration; use --scope user');
    const rel = { 'claude-code': '.mcp.json', cursor: path.join('.cursor', 'mcp.json'), vscode: path.join('.vscode', 'mcp.json') }[client];
    return { path: path.join(e.cwd, rel), key };
  }
  switch (client) {
    case 'claude-code':
      return { path: path.join(e.home, '.claude.json'), key };
    case 'cursor':
      return { path: path.join(e.home, '.cursor', 'mcp.json'), key };
    case 'claude-desktop':
      return { path: path.join(appData(e), 'Claude', 'claude_desktop_config.json'), key };
    case 'vscode':
      // the default profile's user mcp.json (VS Code 1.102+); other VS Code profiles keep their own
      return { path: path.join(appData(e), 'Code', 'User', 'mcp.json'), key };
  }
}

/** Electron's appData: where Claude Desktop and VS Code keep per-user settings. */
function appData(e: InstallEnvironment): string {
  if (e.platform === 'win32') {
    const dir = e.env.APPDATA;
    if (dir === undefined || dir === '') throw new UsageError('%APPDATA% is not set; cannot find the user configuration folder');
    return dir;
  }
  if (e.platform === 'darwin') return posix.join(e.home, 'Library', 'Application Support');
  const xdg = e.env.XDG_CONFIG_HOME;
  return xdg !== undefined && xdg !== '' ? xdg : posix.join(e.home, '.config');
}

export interface ServerEntryOptions {
  version: string;
  /** --profile, when given. */
  profile: string | undefined;
  platform: NodeJS.Platform;
}

export type ServerEntry = { type?: 'stdio'; command: string; args: string[] };

/**
 * The entry that launches this very version of hoop-mcp. No token, no environment: the bridge
 * reads the credential from the keychain. On Windows `npx` is a .cmd script that clients cannot
 * spawn directly, hence `cmd /c`.
 */
export function serverEntry(client: ClientId, o: ServerEntryOptions): { name: string; entry: ServerEntry } {
  const npx = ['npx', '-y', `hoop-mcp@${o.version}`, ...(o.profile !== undefined ? ['--profile', o.profile] : [])];
  const [command, ...args] = o.platform === 'win32' ? ['cmd', '/c', ...npx] : npx;
  const name = o.profile === undefined || o.profile === DEFAULT_PROFILE ? 'hoop' : `hoop-${o.profile}`;
  // Claude Code and VS Code write the transport type themselves; the others do without it.
  const typed = client === 'claude-code' || client === 'vscode';
  return { name, entry: { ...(typed ? { type: 'stdio' as const } : {}), command: command ?? 'npx', args } };
}

/** Loose on purpose: every key we do not know is kept as it is. */
const ConfigFileSchema = z.looseObject({
  mcpServers: z.record(z.string(), z.looseObject({})).optional(),
  servers: z.record(z.string(), z.looseObject({})).optional(),
});

export type Merge = { changed: false } | { changed: true; text: string };

/**
 * Adds (or updates) one server in a config file's text, keeping every other server and key, and
 * the entry's own extra keys (`env`, `disabled`) too. `existing` undefined: the file is new.
 * Compared as data, so a rerun changes nothing even when the user reformatted the file.
 */
export function mergeServer(existing: string | undefined, file: ClientConfigFile, name: string, entry: ServerEntry): Merge {
  let data: z.infer<typeof ConfigFileSchema> = {};
  if (existing !== undefined && existing.trim() !== '') {
    let raw: unknown;
    try {
      raw = JSON.parse(existing);
    } catch (err) {
      throw new UsageError(`${file.path} is not valid JSON (${(err as Error).message}); fix it (comments are not supported) and run install again; nothing was written`);
    }
    const parsed = ConfigFileSchema.safeParse(raw);
    if (!parsed.success) throw new UsageError(`${file.path} does not look like an MCP configuration ("${file.key}" must be an object of servers); nothing was written`);
    data = parsed.data;
  }
  const servers = data[file.key] ?? {};
  const before = servers[name];
  const after = { ...before, ...entry };
  if (before !== undefined && JSON.stringify(before) === JSON.stringify(after)) return { changed: false };
  return { changed: true, text: `${JSON.stringify({ ...data, [file.key]: { ...servers, [name]: after } }, null, 2)}\n` };
}

/** What `--print` shows: the fragment to paste under the file's top level. */
export function snippet(file: ClientConfigFile, name: string, entry: ServerEntry): string {
  return `${JSON.stringify({ [file.key]: { [name]: entry } }, null, 2)}\n`;
}
