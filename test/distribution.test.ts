import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { BIN } from './helpers/bridge-process.js';

/**
 * Keeps the MCP Registry listing (server.json), package.json, the CLI and the changelog telling
 * the same story: one version, and every environment variable the code reads accounted for.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; mcpName?: string; repository?: { url: string } };

interface EnvironmentVariable {
  name: string;
  description?: string;
  isRequired?: boolean;
  isSecret?: boolean;
}
interface ServerJson {
  $schema: string;
  name: string;
  description: string;
  version: string;
  repository?: { url: string; source: string };
  packages: Array<{ registryType: string; identifier: string; version: string; transport: { type: string }; environmentVariables?: EnvironmentVariable[] }>;
}
const server = JSON.parse(readFileSync(join(ROOT, 'server.json'), 'utf8')) as ServerJson;

/** Variables the code reads that stay out of server.json, each with the reason. */
const INTERNAL: Record<string, string> = {
  HOOP_MCP_LOGIN_CALLBACK_PORT: 'test-only: moves the OIDC callback off 127.0.0.1:3587 so login tests can run in parallel',
  HOOP_TLS_SKIP_VERIFY: 'turns certificate checks off; documented in the README for emergencies, never offered in an install form',
};
/** Variables that belong to the platform or to Node, not to hoop-mcp's configuration. */
const PLATFORM: Record<string, string> = {
  APPDATA: 'where Windows keeps per-user configuration',
  XDG_CONFIG_HOME: 'where Linux keeps per-user configuration',
  DISPLAY: 'whether an X11 session can open a browser for login',
  WAYLAND_DISPLAY: 'whether a Wayland session can open a browser for login',
  NODE_EXTRA_CA_CERTS: "Node's own extra CA file, which hoop-mcp reads to report it",
  CI: 'set by CI systems; hidden while ink loads, so a person at a terminal sees every login screen',
  CONTINUOUS_INTEGRATION: 'the same, under its other name',
};

const SRC = join(ROOT, 'src');
const sources = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
  .map((f) => ({ file: f, text: readFileSync(join(SRC, f), 'utf8') }));

/**
 * The variables the product code reads: `env.X`, `process.env.X`, `env['X']`, and, in a file that
 * indexes env with a computed key, the upper-case names in a list of string literals, as in
 * `['HTTPS_PROXY', 'https_proxy'].some((k) => env[k])` or `pick('NO_PROXY', 'no_proxy')`.
 */
function readsIn(text: string): string[] {
  const names = [...text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)\b|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g)].map((m) => m[1] ?? m[2] ?? '');
  if (/\benv\[\s*[^\s'"\]]/.test(text)) {
    for (const list of text.matchAll(/[[(]\s*((?:'\w+'|"\w+")(?:\s*,\s*(?:'\w+'|"\w+"))*)\s*,?\s*[\])]/g)) {
      names.push(...[...(list[1] ?? '').matchAll(/['"](\w+)['"]/g)].map((m) => m[1] ?? '').filter((n) => /^[A-Z][A-Z0-9_]*$/.test(n)));
    }
  }
  return [...new Set(names)];
}

function readVariables(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const { file, text } of sources) for (const name of readsIn(text)) reads.set(name, [...(reads.get(name) ?? []), file]);
  return reads;
}

const listed = server.packages.flatMap((p) => p.environmentVariables ?? []);

describe('server.json (MCP Registry)', () => {
  it('is in the registry schema, for the npm package, at the package version', () => {
    expect(server.$schema).toMatch(/^https:\/\/static\.modelcontextprotocol\.io\/schemas\/\d{4}-\d{2}-\d{2}\/server\.schema\.json$/);
    expect(server.name).toMatch(/^io\.github\.[a-zA-Z0-9-]+\/hoop-mcp$/);
    expect(server.name).toBe(pkg.mcpName); // the registry checks the npm package names the server back
    expect(server.description.length).toBeGreaterThan(0);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.version).toBe(pkg.version);
    expect(server.repository?.source).toBe('github');
    // npm's provenance check needs package.json to name the repository the workflow runs in
    expect(pkg.repository?.url.replace(/^git\+/, '').replace(/\.git$/, '')).toBe(server.repository?.url);
    expect(server.packages).toHaveLength(1);
    expect(server.packages[0]).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version, transport: { type: 'stdio' } });
  });

  it('asks for nothing: the keychain is the normal path, and the token is a secret when given', () => {
    expect(listed.filter((v) => v.isRequired === true)).toEqual([]);
    expect(listed.find((v) => v.name === 'HOOP_TOKEN')).toMatchObject({ isSecret: true, isRequired: false });
    for (const name of ['HOOP_APIURL', 'HOOP_TOKEN', 'HOOP_MCP_PROFILE']) expect(listed.map((v) => v.name)).toContain(name);
    for (const v of listed) {
      if (v.name !== 'HOOP_TOKEN') expect(v.isSecret, v.name).not.toBe(true);
      expect(v.description ?? '', v.name).not.toBe('');
    }
  });

  it('the scanner sees names read by a computed key, and not literal lists in files that never index env', () => {
    expect(readsIn("env.HOOP_TOKEN; process.env['HOOP_APIURL']")).toEqual(['HOOP_TOKEN', 'HOOP_APIURL']);
    expect(readsIn("['HTTPS_PROXY', 'https_proxy'].some((k) => process.env[k])")).toEqual(['HTTPS_PROXY']);
    expect(readsIn("const pick = (...n: string[]) => n.map((k) => env[k]);\npick('NO_PROXY', 'no_proxy');")).toEqual(['NO_PROXY']);
    expect(readsIn("const CODES = new Set(['ECONNRESET', 'EPIPE']);")).toEqual([]);
  });

  it('names only variables the code reads', () => {
    const reads = readVariables();
    for (const v of listed) expect(reads.has(v.name), `${v.name} is in server.json but nothing in src/ reads it`).toBe(true);
  });

  it('accounts for every variable the code reads: listed, deliberately internal, or the platform\'s', () => {
    const names = new Set(listed.map((v) => v.name));
    const unaccounted = [...readVariables()].filter(([name]) => !names.has(name) && !(name in INTERNAL) && !(name in PLATFORM));
    expect(unaccounted.map(([name, files]) => `${name} (read in ${files.join(', ')})`)).toEqual([]);
    for (const name of [...Object.keys(INTERNAL), ...Object.keys(PLATFORM)]) expect(names.has(name), `${name} is both listed and excluded`).toBe(false);
  });

  it('accounts for every HOOP_* name the code mentions, read or only named in a message', () => {
    const mentioned = new Set(sources.flatMap(({ text }) => [...text.matchAll(/\bHOOP_[A-Z0-9_]+\b/g)].map((m) => m[0])));
    const names = new Set(listed.map((v) => v.name));
    expect([...mentioned].filter((n) => !names.has(n) && !(n in INTERNAL))).toEqual([]);
  });
});

describe('the version', () => {
  it('hoop-mcp --version prints package.json\'s', () => {
    const run = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(pkg.version);
  });

  it('has its section in CHANGELOG.md', () => {
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toMatch(new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm'));
  });
});
