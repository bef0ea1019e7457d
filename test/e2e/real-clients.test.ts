import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { BIN, tempHome } from '../helpers/bridge-process.js';
import { gatewayScope } from '../helpers/scope.js';

/**
 * The judges: Claude Code and the MCP Inspector, as published on npm, start hoop-mcp and talk to
 * it. Both need Node 22+, so on Node 20 a Node 24 binary comes from the npm registry too. The
 * install is cached in the temp directory, keyed by the versions.
 */
const CLAUDE_CODE = '2.1.332';
const INSPECTOR = '2.12.0';
const CACHE = join(tmpdir(), `hoop-mcp-real-clients-${CLAUDE_CODE}-${INSPECTOR}`);
const gateway = gatewayScope();

let nodeDir: string;
const bin = (name: string): string => join(CACHE, 'node_modules', '.bin', name);

function npm(args: string[], cwd: string): void {
  execFileSync('npm', [...args, '--no-audit', '--no-fund'], { cwd, stdio: 'ignore', env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH ?? ''}` } });
}

beforeAll(() => {
  mkdirSync(CACHE, { recursive: true });
  const major = Number(process.versions.node.split('.')[0]);
  nodeDir = major >= 22 ? join(process.execPath, '..') : join(CACHE, 'node24', 'node_modules', '.bin');
  if (major < 22 && !existsSync(join(nodeDir, 'node'))) {
    mkdirSync(join(CACHE, 'node24'), { recursive: true });
    execFileSync('npm', ['init', '-y'], { cwd: join(CACHE, 'node24'), stdio: 'ignore' });
    npm(['install', 'node@24'], join(CACHE, 'node24'));
  }
  if (!existsSync(bin('claude')) || !existsSync(bin('mcp-inspector'))) {
    if (!existsSync(join(CACHE, 'package.json'))) execFileSync('npm', ['init', '-y'], { cwd: CACHE, stdio: 'ignore' });
    npm(['install', `@anthropic-ai/claude-code@${CLAUDE_CODE}`, `@modelcontextprotocol/inspector@${INSPECTOR}`], CACHE);
  }
}, 240_000);

/** Runs a client command asynchronously, so the in-process gateway fixture keeps answering. */
function run(cmd: string, args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { PATH: `${nodeDir}:${process.env.PATH ?? ''}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

describe('real MCP clients', () => {
  it('Claude Code adds hoop-mcp and reports it connected', async () => {
    const gw = await gateway();
    const home = tempHome();
    const project = mkdtempSync(join(tmpdir(), 'hoop-mcp-project-'));
    const env = { HOME: home };
    const add = await run(bin('claude'), ['mcp', 'add', 'hoop', '-e', 'HOOP_TOKEN=hoop-test-admin-token', '-e', `HOOP_MCP_HOME=${join(home, 'hoop-mcp')}`, '--', 'node', BIN, '--gateway', gw.url], env, project);
    expect(add.code, add.out).toBe(0);
    const list = await run(bin('claude'), ['mcp', 'list'], env, project);
    expect(list.out).toMatch(/hoop: .*✔ Connected/);
    expect(gw.initializations.some((i) => i.clientInfo.name.includes('via hoop-mcp'))).toBe(true);
  });

  it('the MCP Inspector CLI lists and calls tools through hoop-mcp', async () => {
    const gw = await gateway();
    const env = { HOOP_MCP_HOME: tempHome() };
    const common = ['--cli', 'node', BIN, '--gateway', gw.url, '-e', 'HOOP_TOKEN=hoop-test-admin-token', '-e', `HOOP_MCP_HOME=${env.HOOP_MCP_HOME}`];
    const list = await run(bin('mcp-inspector'), [...common, '--method', 'tools/list'], env, tmpdir());
    expect(list.code, list.out).toBe(0);
    expect(list.out).toContain('"connections_list"');
    const call = await run(bin('mcp-inspector'), [...common, '--method', 'tools/call', '--tool-name', 'connections_get', '--tool-arg', 'name=prod-postgres'], env, tmpdir());
    expect(call.code, call.out).toBe(0);
    expect(call.out).toContain('prod-postgres');
  });
});
