import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { CLIENTS, configFile, type ClientId, type InstallEnvironment, type Scope } from '../app/client-configs.js';
import { runInstall, type InstallOptions } from './install.js';

/** A home and a project folder of their own, so nothing real is touched. */
function sandbox(platform: NodeJS.Platform = 'linux'): InstallEnvironment {
  const root = mkdtempSync(join(tmpdir(), 'hoop-mcp-install-'));
  const [home, cwd] = [join(root, 'home'), join(root, 'project')];
  mkdirSync(home);
  mkdirSync(cwd);
  return { platform, home, cwd, env: { APPDATA: join(root, 'AppData', 'Roaming') } };
}

async function install(environment: InstallEnvironment, client: ClientId, extra: Partial<InstallOptions> = {}): Promise<string> {
  let out = '';
  await runInstall({
    client,
    scope: client === 'claude-desktop' ? 'user' : 'project',
    profile: undefined,
    print: false,
    environment,
    version: '1.2.3',
    now: () => new Date('2026-03-04T05:06:07.089Z'),
    out: { write: (s: string) => (out += s) },
    ...extra,
  });
  return out;
}

const backups = (path: string): string[] => readdirSync(dirname(path)).filter((f) => f.includes('.bak-'));
const SCOPES_OF: Array<[ClientId, Scope]> = [
  ['claude-code', 'project'],
  ['claude-code', 'user'],
  ['cursor', 'project'],
  ['cursor', 'user'],
  ['claude-desktop', 'user'],
  ['vscode', 'project'],
  ['vscode', 'user'],
];

describe('install', () => {
  it.each(SCOPES_OF)('%s (%s scope): merges next to an existing server, backs up once, and is idempotent', async (client, scope) => {
    const env = sandbox();
    const file = configFile(client, scope, env);
    const key = client === 'vscode' ? 'servers' : 'mcpServers';
    const other = { command: 'uvx', args: ['other-server'], env: { OTHER: '1' } };
    const original = { theme: 'dark', [key]: { other } };
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, JSON.stringify(original), { mode: 0o600 });

    expect(await install(env, client, { scope })).toMatch(/^Updated .* server "hoop" runs npx -y hoop-mcp@1\.2\.3 \(backup: .*\.bak-2026-03-04T05-06-07-089Z\)\.\n$/);
    const written: unknown = JSON.parse(readFileSync(file.path, 'utf8'));
    const hoop = { ...(client === 'vscode' || client === 'claude-code' ? { type: 'stdio' } : {}), command: 'npx', args: ['-y', 'hoop-mcp@1.2.3'] };
    expect(written).toEqual({ theme: 'dark', [key]: { other, hoop } });
    expect(readFileSync(file.path, 'utf8')).not.toMatch(/HOOP_TOKEN|token/i);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(backups(file.path)).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dirname(file.path), backups(file.path)[0] ?? ''), 'utf8'))).toEqual(original);

    const before = readFileSync(file.path, 'utf8');
    expect(await install(env, client, { scope, now: () => new Date() })).toMatch(/already in .*nothing changed/);
    expect(readFileSync(file.path, 'utf8')).toBe(before);
    expect(backups(file.path)).toHaveLength(1);
  });

  it.each(CLIENTS)('%s: creates a missing file (and folder) without a backup', async (client) => {
    const env = sandbox();
    await install(env, client);
    const file = configFile(client, client === 'claude-desktop' ? 'user' : 'project', env);
    expect(Object.keys(JSON.parse(readFileSync(file.path, 'utf8')) as object)).toEqual([file.key]);
    expect(backups(file.path)).toEqual([]);
  });

  it.each(CLIENTS)('%s: --print writes nothing and shows the snippet', async (client) => {
    const env = sandbox();
    const out = await install(env, client, { print: true, profile: 'staging' });
    const key = client === 'vscode' ? 'servers' : 'mcpServers';
    expect(JSON.parse(out)).toEqual({ [key]: { 'hoop-staging': expect.objectContaining({ command: 'npx', args: ['-y', 'hoop-mcp@1.2.3', '--profile', 'staging'] }) } });
    expect(readdirSync(env.cwd)).toEqual([]);
    expect(readdirSync(env.home)).toEqual([]);
  });

  it.each(CLIENTS)('%s: refuses a file that is not JSON, and writes nothing', async (client) => {
    const env = sandbox();
    const file = configFile(client, client === 'claude-desktop' ? 'user' : 'project', env);
    mkdirSync(dirname(file.path), { recursive: true });
    const broken = '{ "mcpServers": { // a comment\n } }';
    writeFileSync(file.path, broken);
    await expect(install(env, client)).rejects.toThrow(/is not valid JSON .*nothing was written/);
    expect(readFileSync(file.path, 'utf8')).toBe(broken);
    expect(backups(file.path)).toEqual([]);
  });

  it('refuses a file whose server map is not an object', async () => {
    const env = sandbox();
    writeFileSync(join(env.cwd, '.mcp.json'), '{"mcpServers": []}');
    await expect(install(env, 'claude-code')).rejects.toThrow(/does not look like an MCP configuration/);
  });

  it('updates an outdated hoop entry in place, keeping the keys the user added to it', async () => {
    const env = sandbox();
    const path = join(env.cwd, '.mcp.json');
    writeFileSync(path, JSON.stringify({ mcpServers: { hoop: { type: 'stdio', command: 'npx', args: ['-y', 'hoop-mcp@0.0.1'], env: { HOOP_MCP_LOG_LEVEL: 'debug' } } } }));
    await install(env, 'claude-code');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ mcpServers: { hoop: { type: 'stdio', command: 'npx', args: ['-y', 'hoop-mcp@1.2.3'], env: { HOOP_MCP_LOG_LEVEL: 'debug' } } } });
  });

  it.each(CLIENTS)('%s on Windows: cmd /c npx, under %%APPDATA%% for the user configs', async (client) => {
    const env = sandbox('win32');
    const out = await install(env, client, { print: true, profile: 'default' });
    expect(Object.values(JSON.parse(out) as Record<string, unknown>)[0]).toEqual({ hoop: expect.objectContaining({ command: 'cmd', args: ['/c', 'npx', '-y', 'hoop-mcp@1.2.3', '--profile', 'default'] }) });
  });

  it('knows each client\'s user configuration on each platform', () => {
    const at = (platform: NodeJS.Platform, env: NodeJS.ProcessEnv = {}): InstallEnvironment => ({ platform, home: '/h', cwd: '/p', env });
    expect(configFile('claude-desktop', 'user', at('darwin')).path).toBe('/h/Library/Application Support/Claude/claude_desktop_config.json');
    expect(configFile('claude-desktop', 'user', at('linux')).path).toBe('/h/.config/Claude/claude_desktop_config.json');
    expect(configFile('claude-desktop', 'user', { ...at('win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }), home: 'C:\\Users\\u' }).path).toBe(
      'C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    );
    expect(configFile('vscode', 'user', at('linux', { XDG_CONFIG_HOME: '/x' })).path).toBe('/x/Code/User/mcp.json');
    expect(configFile('vscode', 'user', at('darwin'))).toEqual({ path: '/h/Library/Application Support/Code/User/mcp.json', key: 'servers' });
    expect(configFile('claude-code', 'user', at('linux'))).toEqual({ path: '/h/.claude.json', key: 'mcpServers' });
    expect(configFile('claude-code', 'project', at('linux')).path).toBe('/p/.mcp.json');
    expect(configFile('cursor', 'user', at('linux')).path).toBe('/h/.cursor/mcp.json');
    expect(configFile('vscode', 'project', at('linux')).path).toBe('/p/.vscode/mcp.json');
    expect(() => configFile('claude-desktop', 'project', at('linux'))).toThrow(/no project configuration/);
    expect(() => configFile('claude-desktop', 'user', at('win32'))).toThrow(/APPDATA/);
  });
});
