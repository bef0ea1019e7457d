import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseAuditLines, verifyChain } from '../../src/app/audit-log.js';
import { canonicalJson, sha256Hex } from '../../src/shared/canonical.js';
import type { GatewayFixture } from '../fixtures/gateway.js';
import { BIN, connectBridge, tempHome } from '../helpers/bridge-process.js';
import { clientScope, gatewayScope, resultText } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const gateway = gatewayScope();
const track = clientScope();

/** Runs the bin without blocking this process (the fixture gateway lives here). */
function run(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

function writeProfile(home: string, gw: GatewayFixture, extra: Record<string, unknown>): void {
  writeFileSync(join(home, 'config.json'), JSON.stringify({ version: 1, profiles: { default: { gateway: gw.url, ...extra } } }));
}

async function bridge(gw: GatewayFixture, home: string, args: string[] = []): ReturnType<typeof connectBridge> {
  return track(await connectBridge({ args: ['--gateway', gw.url, ...args], env: { HOOP_TOKEN: ADMIN, HOOP_MCP_HOME: home } }));
}

const auditLines = (home: string): ReturnType<typeof parseAuditLines> => parseAuditLines(readFileSync(join(home, 'audit', 'default.jsonl'), 'utf8'));

describe('local tool controls, on tools/list and tools/call', () => {
  it('--read-only lists only read-only tools and refuses a hidden one by name, without asking the gateway', async () => {
    const gw = await gateway();
    const { client } = await bridge(gw, tempHome(), ['--read-only']);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThan(10);
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    const result = await client.callTool({ name: 'connections_delete', arguments: { name: 'pg' } });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/hidden by local policy: read-only mode is on.*--read-only/s);
    expect(gw.calls.filter((c) => c.tool === 'connections_delete')).toEqual([]);
  });

  it('flags narrow the profile and never widen it', async () => {
    const gw = await gateway();
    const home = tempHome();
    writeProfile(home, gw, { tools: ['connections_*'] });
    const { client } = await bridge(gw, home, ['--tools', '*', '--exclude-tools', 'connections_delete,connections_update']);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['connections_create', 'connections_get', 'connections_list']);
    const refused = await client.callTool({ name: 'users_list', arguments: {} });
    expect(resultText(refused)).toMatch(/not in the allowed tools \(connections_\*\).*profile "default"/s);
    expect((await client.callTool({ name: 'connections_list', arguments: {} })).isError).not.toBe(true);
  });
});

describe('the audit trail', () => {
  it('records every call with the client, an argument hash and the outcome, chained; audit verify catches tampering', async () => {
    const gw = await gateway();
    const home = tempHome();
    const { client } = await bridge(gw, home, ['--exclude-tools', 'users_*']);
    await client.callTool({ name: 'connections_list', arguments: {} });
    await client.callTool({ name: 'connections_get', arguments: { name: 'does-not-exist' } });
    await client.callTool({ name: 'users_list', arguments: {} });
    await client.close();
    const lines = auditLines(home);
    expect(lines.map((l) => [l.tool, l.outcome])).toEqual([
      ['connections_list', 'ok'],
      ['connections_get', 'tool-error'],
      ['users_list', 'tool-error'],
    ]);
    expect(lines[1]).toMatchObject({ client: 'e2e-client', profile: 'default', gateway: gw.url, argsSha256: sha256Hex(canonicalJson({ name: 'does-not-exist' })) });
    expect(readFileSync(join(home, 'audit', 'default.jsonl'), 'utf8')).not.toContain('does-not-exist');

    const env = { HOOP_MCP_HOME: home };
    expect(await run(['audit', 'verify'], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/3 lines, chain intact/) });
    expect((await run(['audit', 'tail', '-n', '1'], env)).stdout).toMatch(/tool-error\s+users_list .*e2e-client/);
    const file = join(home, 'audit', 'default.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"outcome":"tool-error"', '"outcome":"ok"'));
    expect(verifyChain(readFileSync(file, 'utf8')).ok).toBe(false);
    expect(await run(['audit', 'verify'], env)).toMatchObject({ code: 1, stderr: expect.stringMatching(/line 2 of 3 .*edited/) });
  });
});

describe('catalogue pinning', () => {
  it('warns when a tool changed since it was accepted; --pin-tools hides it until `tools accept`', async () => {
    const gw = await gateway();
    const home = tempHome();
    const first = await bridge(gw, home);
    await first.client.listTools();
    await first.client.close();
    const pinFile = join(home, 'pins', readdirSync(join(home, 'pins')).find((f) => f.endsWith('.json')) ?? '');
    const pins = JSON.parse(readFileSync(pinFile, 'utf8')) as { tools: Record<string, string> };
    pins.tools.connections_list = 'f'.repeat(64); // as if the gateway's definition had changed since
    writeFileSync(pinFile, JSON.stringify(pins));

    const warned = await bridge(gw, home);
    expect((await warned.client.listTools()).tools.map((t) => t.name)).toContain('connections_list');
    await warned.client.close();
    expect(warned.bridge.stderrText).toMatch(/tools changed since you accepted them \(changed: connections_list\)/);

    const pinned = await bridge(gw, home, ['--pin-tools']);
    expect((await pinned.client.listTools()).tools.map((t) => t.name)).not.toContain('connections_list');
    expect(resultText(await pinned.client.callTool({ name: 'connections_list', arguments: {} }))).toMatch(/changed since you accepted.*tools accept/);
    await pinned.client.close();

    const env = { HOOP_MCP_HOME: home, HOOP_TOKEN: ADMIN };
    expect((await run(['tools', '--gateway', gw.url, '--json'], env)).stdout).toMatch(/"changed":\["connections_list"\]/);
    const status = await run(['status', '--gateway', gw.url, '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ toolChanges: { changed: ['connections_list'], removed: [] } });
    expect((await run(['status', '--gateway', gw.url], env)).stdout).toMatch(/Tools\s+changed since accepted: changed: connections_list; review with/);
    expect(await run(['tools', 'accept', '--gateway', gw.url], env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/Accepted the 55 tools .*changed: connections_list/) });
    const after = await bridge(gw, home, ['--pin-tools']);
    expect((await after.client.listTools()).tools.map((t) => t.name)).toContain('connections_list');
  });
});

describe('tools and call from the shell', () => {
  it('tools shows what serve would expose; call goes through the same policy and audit', async () => {
    const gw = await gateway();
    const home = tempHome();
    const env = { HOOP_MCP_HOME: home, HOOP_TOKEN: ADMIN };
    const listed = await run(['tools', '--gateway', gw.url, '--read-only', '--tools', 'connections_*', '--json'], env);
    expect(listed.code).toBe(0);
    const report = JSON.parse(listed.stdout) as { total: number; exposed: Array<{ name: string }>; hidden: Array<{ name: string; reason: string }> };
    expect(report.total).toBe(55);
    expect(report.exposed.map((t) => t.name).sort()).toEqual(['connections_get', 'connections_list']);
    expect(report.hidden.find((h) => h.name === 'connections_delete')?.reason).toMatch(/read-only/);

    const ok = await run(['call', 'connections_list', '--gateway', gw.url, '--args', '{}'], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().startsWith('[') || ok.stdout.trim().startsWith('{')).toBe(true);
    const hidden = await run(['call', 'connections_delete', '--gateway', gw.url, '--read-only', '--args', '{"name":"pg"}'], env);
    expect(hidden).toMatchObject({ code: 1, stdout: expect.stringMatching(/hidden by local policy/) });
    const bad = await run(['call', 'connections_list', '--gateway', gw.url, '--args', '{nope'], env);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringMatching(/--args is not valid JSON/) });
    expect(auditLines(home).map((l) => [l.tool, l.outcome, l.client])).toEqual([
      ['connections_list', 'ok', 'hoop-mcp call'],
      ['connections_delete', 'tool-error', 'hoop-mcp call'],
    ]);
  });
});
