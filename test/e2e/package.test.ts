import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { beforeAll, describe, expect, it } from 'vitest';

import { gatewayScope } from '../helpers/scope.js';

/** The package as users get it: `npm pack`, installed into an empty directory, its bin run. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const gateway = gatewayScope();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

let packed: Packed;
let bin: string;

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), 'hoop-mcp-pack-'));
  const [info] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Packed[];
  if (info === undefined) throw new Error('npm pack printed nothing');
  packed = info;
  const app = mkdtempSync(join(tmpdir(), 'hoop-mcp-install-'));
  execFileSync(npm, ['init', '-y'], { cwd: app, stdio: 'ignore' });
  execFileSync(npm, ['install', '--no-audit', '--no-fund', '--omit=dev', join(out, info.filename)], { cwd: app, stdio: 'ignore' });
  bin = join(app, 'node_modules', '.bin', 'hoop-mcp');
}, 180_000);

describe('the npm package', () => {
  it('holds what runs and nothing else, and stays small', () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toContain('bin/hoop-mcp.js');
    expect(paths).toContain('dist/cli.js');
    expect(paths).toContain('README.md');
    expect(paths.filter((p) => /(^|\/)(src|test|bench|\.ci)\/|\.test\.|__toolsnaps__|\.map$|\.tsbuildinfo$|credentials\.json|\.pem$/.test(p))).toEqual([]);
    expect(packed.size).toBeLessThan(400 * 1024);
  });

  it('runs as installed: --version, --help', () => {
    expect(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe(pkg.version);
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const command of ['serve', 'login', 'logout', 'status']) expect(help.stdout).toContain(command);
  });

  it('serves MCP over stdio against a gateway', async () => {
    const gw = await gateway();
    const client = new Client({ name: 'package-test', version: '1' });
    await client.connect(
      new StdioClientTransport({ command: bin, args: ['--gateway', gw.url], env: { PATH: process.env.PATH ?? '', HOOP_TOKEN: 'hoop-test-admin-token', HOOP_MCP_HOME: mkdtempSync(join(tmpdir(), 'hoop-mcp-home-')) }, stderr: 'ignore' }),
    );
    expect(client.getServerVersion()).toEqual({ name: 'hoop-mcp', version: pkg.version });
    expect((await client.listTools()).tools).toHaveLength(55);
    await client.close();
  });
});
