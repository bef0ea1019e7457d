import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { getMcpConfigForManifest, unpackExtension, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';

import { buildBundle, keyringPackages, readPackage, TARGETS } from '../../scripts/bundle.js';
import { gatewayScope } from '../helpers/scope.js';

/**
 * The Claude Desktop bundles as `npm run bundle` builds them, unpacked and started the way Claude
 * Desktop starts them. Building every target takes about a minute, so this builds linux-x64 (the
 * one this machine can run) and darwin-universal (another platform's native binaries, one per
 * CPU); win32-x64 differs from linux-x64 only in its target triple.
 */
const BUILT = ['linux-x64', 'darwin-universal'] as const;
/** Mach-O `cputype` values: CPU_TYPE_ARM64, CPU_TYPE_X86_64. */
const MACHO_CPU: Record<number, string> = { 0x0100000c: 'arm64', 0x01000007: 'x64' };
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
      const keyrings = keyringPackages(dir);
      expect(keyrings).toEqual([...(TARGETS[name]?.keyrings ?? [])].sort());
      // each platform package carries keyring.<triple>.node, the file the loader requires
      for (const keyring of keyrings) expect(files(join(dir, 'node_modules', keyring))).toContain(`keyring.${keyring.replace('@napi-rs/keyring-', '')}.node`);
      expect(size).toBeLessThan(12 * 1024 * 1024);
    }
  });

  it('macOS: one bundle that carries the keychain binary for Apple silicon and for Intel Macs', () => {
    const { dir } = bundle('darwin-universal');
    const cpus = ['arm64', 'x64'].map((cpu) => {
      const head = readFileSync(join(dir, 'node_modules', '@napi-rs', `keyring-darwin-${cpu}`, `keyring.darwin-${cpu}.node`)).subarray(0, 8);
      expect(head.readUInt32LE(0), cpu).toBe(0xfeedfacf); // 64-bit Mach-O
      return MACHO_CPU[head.readUInt32LE(4)];
    });
    expect(cpus).toEqual(['arm64', 'x64']);
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
