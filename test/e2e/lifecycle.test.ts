import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { JSONRPCMessageSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';

import { BIN, BridgeProcess, connectBridge, tempHome } from '../helpers/bridge-process.js';
import { gatewayScope, resultText } from '../helpers/scope.js';

const CANARY = 'canary-3f9a1c7e5b2d4860-token';
const gateway = gatewayScope({ fixtureTools: true, users: { [CANARY]: { email: 'canary@example.com', name: 'Canary', groups: ['admin'] } } });
const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** Every byte on stdout must be a newline-terminated JSON-RPC message. */
function expectOnlyJsonRpc(bridge: BridgeProcess): void {
  const out = bridge.stdout().toString('utf8');
  expect(out.endsWith('\n')).toBe(true);
  for (const line of out.slice(0, -1).split('\n')) {
    expect(() => JSONRPCMessageSchema.parse(JSON.parse(line)), line.slice(0, 200)).not.toThrow();
  }
}

function waitForLines(bridge: BridgeProcess, count: number): Promise<void> {
  return expect.poll(() => bridge.stdout().toString().split('\n').length - 1, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
}

describe('lifecycle', () => {
  it.each(['stdin close', 'SIGTERM', 'SIGINT'] as const)('exits cleanly on %s and ends the gateway session', async (how) => {
    const gw = await gateway();
    const { client, bridge } = await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_TOKEN: CANARY } });
    await client.listTools();
    if (how === 'stdin close') bridge.child.stdin.end();
    else bridge.child.kill(how);
    expect(await bridge.exited).toEqual({ code: 0, signal: null });
    expect(gw.requests.some((r) => r.method === 'DELETE' && r.status === 204)).toBe(true);
  });

  it('answers garbage, bad JSON-RPC and oversized lines with JSON-RPC errors and keeps serving', async () => {
    const gw = await gateway();
    const bridge = new BridgeProcess(['--gateway', gw.url], { HOOP_TOKEN: CANARY, HOOP_MCP_HOME: tempHome() });
    bridge.writeRaw(`${JSON.stringify(INIT)}\n`);
    bridge.writeRaw('this is not json\n');
    bridge.writeRaw('{"jsonrpc":"2.0","id":2}\n');
    bridge.writeRaw('{"jsonrpc":"1.0","id":3,"method":"ping"}\n');
    bridge.writeRaw('[{"jsonrpc":"2.0","id":4,"method":"ping"}]\n');
    bridge.writeRaw(Buffer.from([0xff, 0xfe, 0x7b, 0x0a]));
    bridge.writeRaw(`{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}\n`);
    bridge.writeRaw(`{"jsonrpc":"2.0","id":5,"method":"ping","params":{"pad":"${'x'.repeat(33 * 1024 * 1024)}"}}\n`);
    bridge.writeRaw('{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":42}}\n');
    bridge.writeRaw('{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
    await waitForLines(bridge, 10);
    const messages = bridge.stdoutMessages() as Array<{ id: unknown; error?: { code: number }; result?: unknown }>;
    const byId = (id: unknown): (typeof messages)[number] | undefined => messages.find((m) => m.id === id);
    expect(byId(1)?.result).toBeDefined();
    expect(messages.filter((m) => m.id === undefined && m.error?.code === -32700)).toHaveLength(2); // not JSON, invalid UTF-8
    expect(byId(2)?.error?.code).toBe(-32600);
    expect(byId(3)?.error?.code).toBe(-32600);
    expect(messages.filter((m) => m.id === undefined && m.error?.code === -32600)).toHaveLength(3); // batch, deep object, oversized
    expect(byId(6)?.error?.code).toBe(-32602);
    expect(byId(7)?.result).toEqual({});
    expectOnlyJsonRpc(bridge);
    await bridge.close();
    expect((await bridge.exited).code).toBe(0);
  });

  it('writes nothing but JSON-RPC to stdout, and never the token anywhere', async () => {
    const gw = await gateway();
    const home = tempHome();
    const logFile = join(home, 'logs', 'bridge.log');
    const { client, bridge } = await connectBridge({ args: ['--gateway', gw.url, '--log-level', 'debug'], env: { HOOP_TOKEN: CANARY, HOOP_MCP_HOME: home } });
    await client.listTools();
    await client.callTool({ name: 'fixture_echo_headers', arguments: {} });
    await client.callTool({ name: 'connections_get', arguments: {} });
    gw.evictSessions();
    await client.callTool({ name: 'connections_list', arguments: {} });
    gw.failNext({ status: 401, body: `{"message":"bad token ${CANARY}"}`, contentType: 'application/json' });
    await client.callTool({ name: 'connections_list', arguments: {} });
    await client.close();
    const withFile = await connectBridge({ args: ['--gateway', gw.url, '--log-level', 'debug', '--log-file', logFile], env: { HOOP_TOKEN: CANARY, HOOP_MCP_HOME: home } });
    await withFile.client.callTool({ name: 'fixture_echo_headers', arguments: {} });
    await withFile.client.close();

    expectOnlyJsonRpc(bridge);
    expectOnlyJsonRpc(withFile.bridge);
    const stdout = bridge.stdout().toString() + withFile.bridge.stdout().toString();
    expect(stdout).toContain('user-agent'); // the echoed headers went through stdout
    expect(stdout).not.toContain(CANARY);
    expect(bridge.stderrText + withFile.bridge.stderrText).not.toContain(CANARY);
    expect(readFileSync(logFile, 'utf8')).toMatch(/connected to/);
    for (const file of filesUnder(home)) expect(readFileSync(file, 'utf8'), file).not.toContain(CANARY);
    expect(withFile.bridge.stderrText).toBe('');
  });
});

describe('large results', () => {
  it('relay a multi-megabyte result as the gateway sent it, on one line, with the token still hidden', async () => {
    const gw = await gateway();
    const { client, bridge } = await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_TOKEN: CANARY } });
    const pattern = 'é "quoted" \\ back\u2028 <b>&amp; 😀\t';
    const big = await client.callTool({ name: 'fixture_big', arguments: { bytes: 3_000_000, pattern, isError: true } });
    expect(big.isError).toBe(true);
    expect(resultText(big)).toBe(pattern.repeat(Math.ceil(3_000_000 / pattern.length)).slice(0, 3_000_000));
    const leaky = resultText(await client.callTool({ name: 'fixture_big', arguments: { bytes: 2_000_000, pattern: `token ${CANARY} ` } }));
    expect(leaky).toContain('[REDACTED]');
    expect(leaky).not.toContain(CANARY);
    await client.close();
    expectOnlyJsonRpc(bridge);
  });
});

describe('command line', () => {
  const run = (args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [BIN, ...args], { input: '', encoding: 'utf8', env: { PATH: process.env.PATH, HOOP_MCP_HOME: tempHome(), ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it.each([
    [['--timeout', 'soon'], /--timeout takes a number of seconds/],
    [['--timeout', '-1'], /--timeout takes a number of seconds/],
    [['--backend', 'grpc'], /argument 'grpc' is invalid/],
    [['--log-level', 'loud'], /argument 'loud' is invalid/],
    [['--gateway', 'not a url'], /is not a valid gateway URL/],
    [['--gateway', 'http://hoop.example.com'], /refusing plain http to hoop\.example\.com/],
    [['--no-such-flag'], /unknown option '--no-such-flag'/],
    [['serve', 'extra'], /too many arguments|unknown command/],
  ])('rejects %j with a clear message and exit code 2', (args, message) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stdout).toBe('');
  });

  it('takes the gateway from HOOP_APIURL and accepts plain http to loopback or with --allow-http', () => {
    expect(run(['--allow-http', '--gateway', 'http://hoop.example.com']).status).toBe(0);
    expect(run([], { HOOP_APIURL: 'http://127.0.0.1:9' }).status).toBe(0);
    expect(run([], { HOOP_APIURL: 'http://hoop.example.com' }).status).toBe(2);
  });

  it('prints its version and help', () => {
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = run(['serve', '--help']);
    expect(help.status).toBe(0);
    for (const flag of ['--gateway', '--backend', '--timeout', '--log-level', '--log-file', '--allow-http']) expect(help.stdout).toContain(flag);
  });
});
