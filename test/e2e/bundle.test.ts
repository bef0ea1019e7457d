import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getMcpConfigForManifest, unpackExtension, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildBundle, readPackage, TARGETS } from '../../scripts/bundle.js';
import { gatewayScope } from '../helpers/scope.js';

/**
 * The Claude Desktop bundles as `npm run bundle` builds them, unpacked and started the way Claude
 * Desktop starts them. Building all four targets takes about a minute, so this builds linux-x64
 * (the one this machine can run) and win32-x64 (to prove another platform's native binary is the
 * one shipped); darwin differs from win32 only in its target triple.
 */
const BUILT = ['linux-x64', 'win32-x64'] as const;
const pkg = readPackage();
const gateway = gatewayScope();

const unpacked: Record<string, { dir: string; size: number; manifest: McpbManifestAny }> = {};

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
}

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'hoop-mcp-bundles-'));
  for (const name of BUILT) {
    const { path, size } = await buildBundle(name, out);
    expect(path.endsWith(`hoop-mcp-${pkg.version}-${name}.mcpb`)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), `hoop-mcp-unpacked-${name}-`));
    if (!(await unpackExtension({ mcpbPath: path, outputDir: dir, silent: true }))) throw new Error(`cannot unpack ${path}`);
    unpacked[name] = { dir, size, manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as McpbManifestAny };
  }
}, 240_000);

function bundle(name: (typeof BUILT)[number]): { dir: string; size: number; manifest: McpbManifestAny } {
  const b = unpacked[name];
  if (b === undefined) throw new Error(`${name} was not built`);
  return b;
}

describe('the .mcpb bundles', () => {
  it('describe a node server for one platform, at the package version, without a token field', () => {
    for (const name of BUILT) {
      const { manifest } = bundle(name);
      expect(manifest.name).toBe('hoop-mcp');
      expect(manifest.version).toBe(pkg.version);
      expect(manifest.server.type).toBe('node');
      expect(manifest.server.mcp_config.command).toBe('node');
      expect(manifest.compatibility?.platforms).toEqual([TARGETS[name]?.os]);
      expect(Object.keys(manifest.user_config ?? {}).sort()).toEqual(['gateway_url', 'profile']);
      for (const option of Object.values(manifest.user_config ?? {})) expect(option.sensitive).not.toBe(true);
      expect(manifest.long_description).toContain('npx hoop-mcp login');
    }
  });

  it('hold the built code and production dependencies only, with the target\'s keychain binary', () => {
    for (const name of BUILT) {
      const { dir, size } = bundle(name);
      const all = files(dir);
      expect(all).toContain('package.json');
      expect(all).toContain(join('bin', 'hoop-mcp.js'));
      expect(all).toContain(join('dist', 'cli.js'));
      expect(all.filter((f) => /^(src|test|bench|scripts)\/|^dist\/.*\.test\.|\.map$|\.d\.ts$|__toolsnaps__|package-lock\.json$/.test(f))).toEqual([]);
      for (const dev of ['vitest', 'typescript', 'eslint', 'msw', 'tsx', '@anthropic-ai/mcpb']) expect(existsSync(join(dir, 'node_modules', dev)), dev).toBe(false);
      const keyrings = readdirSync(join(dir, 'node_modules', '@napi-rs')).filter((d) => d.startsWith('keyring-'));
      expect(keyrings.map((d) => `@napi-rs/${d}`)).toEqual([TARGETS[name]?.keyring]);
      expect(files(join(dir, 'node_modules', '@napi-rs', keyrings[0] ?? '')).some((f) => f.endsWith('.node'))).toBe(true);
      expect(size).toBeLessThan(12 * 1024 * 1024);
    }
  });

  it('leaves unset settings unset: empty, never a literal ${user_config.…}', async () => {
    const { dir, manifest } = bundle('linux-x64');
    const config = await getMcpConfigForManifest({ manifest, extensionPath: dir, systemDirs: {}, userConfig: {}, pathSeparator: '/' });
    expect(config?.env).toEqual({ HOOP_APIURL: '', HOOP_MCP_PROFILE: '' });
    expect(config?.args?.[0]).toBe(`${dir}/bin/hoop-mcp.js`);
  });

  it('serves MCP when started exactly as its manifest says', async () => {
    const gw = await gateway();
    const { dir, manifest } = bundle('linux-x64');
    const config = await getMcpConfigForManifest({ manifest, extensionPath: dir, systemDirs: {}, userConfig: { gateway_url: gw.url, profile: 'default' }, pathSeparator: '/' });
    if (config === undefined) throw new Error('no mcp_config');
    expect(config.env).toEqual({ HOOP_APIURL: gw.url, HOOP_MCP_PROFILE: 'default' });
    const client = new Client({ name: 'bundle-test', version: '1' });
    await client.connect(
      new StdioClientTransport({
        command: config.command,
        args: config.args ?? [],
        // A bundle never holds a token: here it comes from the environment instead of the keychain.
        env: { PATH: process.env.PATH ?? '', ...config.env, HOOP_TOKEN: 'hoop-test-admin-token', HOOP_MCP_HOME: mkdtempSync(join(tmpdir(), 'hoop-mcp-home-')) },
        cwd: tmpdir(),
        stderr: 'ignore',
      }),
    );
    try {
      expect(client.getServerVersion()).toEqual({ name: 'hoop-mcp', version: pkg.version });
      expect((await client.listTools()).tools).toHaveLength(55);
    } finally {
      await client.close();
    }
  });
});
