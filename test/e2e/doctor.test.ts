import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import type { Check } from '../../src/commands/doctor.js';
import { tempHome } from '../helpers/bridge-process.js';
import { cliAsync } from '../helpers/cli.js';
import { gatewayScope } from '../helpers/scope.js';

const gateway = gatewayScope();
const ADMIN = 'hoop-test-admin-token';
/** Set by .ci/with-keyring (a private D-Bus session with an unlocked gnome-keyring). */
const REAL_KEYCHAIN = process.env.HOOP_MCP_TEST_KEYCHAIN === '1';
/** cliAsync passes only PATH: hand the keyring session's bus on when there is one. */
const BUS: Record<string, string> = REAL_KEYCHAIN ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '' } : {};

async function doctor(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; checks: Record<string, Check>; stdout: string }> {
  const r = await cliAsync(['doctor', '--json', ...args], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: ADMIN, ...env });
  const report = JSON.parse(r.stdout) as { ok: boolean; checks: Check[] };
  expect(report.ok).toBe(r.status === 0);
  return { status: r.status, checks: Object.fromEntries(report.checks.map((c) => [c.name, c])), stdout: r.stdout };
}

describe('doctor', () => {
  it('a healthy gateway: every check ok, serve speaks only JSON-RPC, exit 0; text has one line per check', async () => {
    const gw = await gateway();
    const { status, checks } = await doctor(['--gateway', gw.url], BUS);
    expect(status).toBe(0);
    expect(Object.keys(checks)).toEqual(['node', 'gateway', 'tls', 'proxy', 'token', 'credential store', 'keychain', 'backend', 'clock', 'serve']);
    // the keychain is only there inside .ci/with-keyring; the tests below cover both sides
    for (const c of Object.values(checks)) expect(c, c.name).toMatchObject({ status: c.name === 'keychain' && !REAL_KEYCHAIN ? 'warn' : 'ok' });
    expect(checks.gateway?.detail).toContain('hoop 1.40.0');
    expect(checks.token?.detail).toMatch(/^admin@example\.com \(groups: admin\)/);
    expect(checks.backend?.detail).toBe('mcp (the gateway\'s /api/mcp) · 55 tools');
    expect(checks.clock?.detail).toMatch(/^\d s (ahead of|behind) the gateway$/);
    expect(checks.serve?.detail).toMatch(/answered initialize and tools\/list \(55 tools\); stdout carried JSON-RPC only/);

    const text = await cliAsync(['doctor', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: ADMIN, ...BUS });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^✓ node +Node\.js \d+/);
    expect(text.stdout.trim().split('\n')).toHaveLength(11);
    expect(text.stdout).toMatch(REAL_KEYCHAIN ? /All good\.\n$/ : /No failures; 1 warning\.\n$/);
  });

  it('a REST-only gateway names the REST backend', async () => {
    const gw = await gateway({ mcpEnabled: false });
    const { status, checks } = await doctor(['--gateway', gw.url]);
    expect(status).toBe(0);
    expect(checks.backend?.detail).toMatch(/^rest .* 36 tools$/);
  });

  it('gateway down: fails, says what to check, and serve still answers', async () => {
    const gw = await gateway();
    await gw.stop();
    const { status, checks } = await doctor(['--gateway', gw.url]);
    expect(status).toBe(1);
    expect(checks.gateway).toMatchObject({ status: 'fail', detail: expect.stringMatching(/cannot reach the Hoop gateway/), fix: expect.stringContaining('check the URL') });
    expect(checks.backend?.status).toBe('warn');
    expect(checks.serve?.status).toBe('ok');
    const text = await cliAsync(['doctor', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: ADMIN });
    expect(text.stdout).toMatch(/^✗ gateway/m);
  });

  it('a bad token fails the token check with the fix; no gateway at all fails too', async () => {
    const gw = await gateway();
    const bad = await doctor(['--gateway', gw.url], { HOOP_TOKEN: 'revoked-token' });
    expect(bad.status).toBe(1);
    expect(bad.checks.token).toMatchObject({ status: 'fail', fix: 'run: npx hoop-mcp login' });
    expect(bad.checks.gateway?.status).toBe('ok');

    const none = await doctor([], { HOOP_TOKEN: '' });
    expect(none.status).toBe(1);
    expect(none.checks.gateway).toMatchObject({ status: 'fail', fix: expect.stringContaining('npx hoop-mcp login') });
  });

  it('TLS: a self-signed gateway without its CA fails; with HOOP_TLS_SKIP_VERIFY it warns; with --ca-file it passes', async () => {
    const certFile = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
    const { readFileSync } = await import('node:fs');
    const gw = await gateway({ tls: { cert: readFileSync(certFile, 'utf8'), key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url), 'utf8') } });
    const https = gw.url.replace('http://', 'https://');
    const untrusted = await doctor(['--gateway', https]);
    expect(untrusted.status).toBe(1);
    expect(untrusted.checks.tls).toMatchObject({ status: 'fail', detail: expect.stringMatching(/TLS verification failed/), fix: expect.stringContaining('--ca-file') });

    const skipped = await doctor(['--gateway', https], { HOOP_TLS_SKIP_VERIFY: 'true' });
    expect(skipped.status).toBe(0);
    expect(skipped.checks.tls).toMatchObject({ status: 'warn', fix: expect.stringContaining('unset HOOP_TLS_SKIP_VERIFY') });

    const trusted = await doctor(['--gateway', https, '--ca-file', certFile]);
    expect(trusted.status).toBe(0);
    expect(trusted.checks.tls?.detail).toBe(`certificate verified against the system CAs and --ca-file ${certFile}`);
  });

  it.runIf(process.platform === 'linux')('keychain: no Secret Service on the session bus warns with what to install, even with HOOP_TOKEN set and no gateway', async () => {
    const gw = await gateway();
    const nowhere = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/hoop-mcp-test-bus' };
    const { status, checks } = await doctor(['--gateway', gw.url], nowhere);
    expect(status).toBe(0);
    expect(checks['credential store']?.detail).toMatch(/^HOOP_TOKEN/);
    expect(checks.keychain).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^Secret Service \(D-Bus\): no Secret Service is reachable \(.*nonexistent\/hoop-mcp-test-bus/),
      fix: expect.stringMatching(/install gnome-keyring .*npx hoop-mcp login --credential-store file$/),
    });
    // probed before any gateway is known
    const none = await doctor([], { ...nowhere, HOOP_TOKEN: '' });
    expect(none.checks.keychain?.status).toBe('warn');
  });

  it.runIf(REAL_KEYCHAIN)('keychain: a real Secret Service is reachable, whatever the token source', async () => {
    const gw = await gateway();
    const { checks } = await doctor(['--gateway', gw.url], BUS);
    expect(checks['credential store']?.detail).toMatch(/^HOOP_TOKEN/);
    expect(checks.keychain).toEqual({ name: 'keychain', status: 'ok', detail: 'Secret Service (D-Bus) reachable' });
  });

  it('proxy settings: a loopback gateway not in NO_PROXY warns, credentials in the proxy URL are not shown', async () => {
    const gw = await gateway();
    const { checks } = await doctor(['--gateway', gw.url], { HTTP_PROXY: 'http://user:secret@127.0.0.1:9', NO_PROXY: '127.0.0.1' });
    expect(checks.proxy).toMatchObject({ status: 'ok', detail: 'direct: the gateway is exempt from http://***@127.0.0.1:9 (NO_PROXY=127.0.0.1)' });
    expect(JSON.stringify(checks)).not.toContain('secret');
    const through = await doctor(['--gateway', gw.url], { HTTP_PROXY: 'http://127.0.0.1:9' });
    expect(through.checks.proxy).toMatchObject({ status: 'warn', detail: 'through http://127.0.0.1:9; the loopback gateway goes through it too', fix: 'add localhost,127.0.0.1 to NO_PROXY' });
  });
});
