import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';

import type { GatewayFixture } from '../fixtures/gateway.js';
import { connectBridge, tempHome, type BridgeProcess } from '../helpers/bridge-process.js';
import { clientScope, gatewayScope, resultText as text } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const gateway = gatewayScope({ fixtureTools: true });
const track = clientScope();

async function bridgeTo(gw: GatewayFixture, opts: { token?: string; home?: string; args?: string[]; env?: Record<string, string> } = {}): Promise<{ client: Client; bridge: BridgeProcess }> {
  return track(
    await connectBridge({
      args: ['--gateway', gw.url, ...(opts.args ?? [])],
      env: { HOOP_TOKEN: opts.token ?? ADMIN, HOOP_MCP_HOME: opts.home ?? tempHome(), ...opts.env },
    }),
  );
}


describe('expired upstream sessions', () => {
  it('re-initializes and replays a read-only call transparently', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    await client.callTool({ name: 'connections_list', arguments: {} });
    gw.evictSessions();
    const result = await client.callTool({ name: 'connections_get', arguments: { name: 'prod-postgres' } });
    expect(result.isError).toBeFalsy();
    expect(gw.initializations).toHaveLength(2);
  });

  it('does not replay a call that changes data, and says it may not have run', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    await client.listTools();
    gw.evictSessions();
    const result = await client.callTool({ name: 'connections_delete', arguments: { name: 'staging-mysql' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/did not resend "connections_delete".*may not have run/);
    expect(gw.calls.filter((c) => c.tool === 'connections_delete')).toHaveLength(0);
    // the next call runs on the new session
    const again = await client.callTool({ name: 'connections_delete', arguments: { name: 'staging-mysql' } });
    expect(again.isError).toBeFalsy();
  });

  it('deletes its upstream session on exit', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    await client.listTools();
    const [session] = gw.sessions();
    await client.close();
    await expect.poll(() => gw.requests.some((r) => r.method === 'DELETE' && r.sessionId === session && r.status === 204)).toBe(true);
  });
});

describe('errors a user can act on', () => {
  it('401: token rejected or expired, run login', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw, { token: 'expired-or-wrong-token' });
    await expect(client.listTools()).rejects.toThrow(/rejected the token.*run: npx hoop-mcp login/);
    const result = await client.callTool({ name: 'connections_list', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/run: npx hoop-mcp login/);
  });

  it('no token at all: run login', async () => {
    const gw = await gateway();
    const conn = track(await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_MCP_HOME: tempHome() } }));
    await expect(conn.client.listTools()).rejects.toThrow(/not logged in to .*run: npx hoop-mcp login/);
  });

  it('403: the role does not allow it', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw, { token: 'hoop-test-auditor-token' });
    await expect(client.listTools()).rejects.toThrow(/your Hoop role does not allow this \(403/);
  });

  it('a gateway without /api/mcp, with --backend mcp (auto falls back to REST: test/e2e/rest.test.ts)', async () => {
    const gw = await gateway({ mcpEnabled: false });
    const { client } = await bridgeTo(gw, { args: ['--backend', 'mcp'] });
    await expect(client.listTools()).rejects.toThrow(/does not serve MCP at .*\/api\/mcp \(404\).*--backend rest/);
  });

  it.each([
    [{ status: 502, body: 'bad gateway', contentType: 'text/plain' }, /HTTP 502: bad gateway.*Try again shortly/],
    [{ status: 200, body: '<html>login</html>', contentType: 'text/html' }, /text\/html.*is this the address of a Hoop gateway/],
    [{ destroy: true }, /connection to .* was cut|cannot reach|failed/],
  ])('a broken answer (%o) becomes a clear tool error, and the next call works', async (fault, message) => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    await client.listTools();
    gw.failNext({ ...fault, method: 'POST' });
    const result = await client.callTool({ name: 'connections_list', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(message);
    expect((await client.callTool({ name: 'connections_list', arguments: {} })).isError).toBeFalsy();
  });

  it('uses and keeps a token the gateway rotates, on a fresh session', async () => {
    const gw = await gateway({ rotate: { 'hoop-test-user-token': 'rotated-user-token-0123456789' } });
    const { client, bridge } = await bridgeTo(gw, { token: 'hoop-test-user-token' });
    await client.listTools();
    await client.callTool({ name: 'connections_list', arguments: {} });
    const last = gw.requests.filter((r) => r.method === 'POST').at(-1);
    expect(last?.headers.authorization).toBe('Bearer rotated-user-token-0123456789');
    // identity and token are frozen at initialize, so a new session carries the new token
    expect(gw.initializations.length).toBeGreaterThanOrEqual(2);
    await client.close();
    expect(bridge.stderrText).not.toContain('rotated-user-token-0123456789');
    expect(bridge.stdout().toString()).not.toContain('rotated-user-token-0123456789');
  });
});

describe('TLS', () => {
  const certFile = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
  const tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url), 'utf8') };

  it('explains a certificate it cannot verify, and works once the CA is trusted', async () => {
    const gw = await gateway({ tls });
    const untrusted = await bridgeTo(gw);
    await expect(untrusted.client.listTools()).rejects.toThrow(/TLS verification failed for https:\/\/127\.0\.0\.1:\d+ \(\w+\).*NODE_EXTRA_CA_CERTS/);
    const trusted = await bridgeTo(gw, { env: { NODE_EXTRA_CA_CERTS: certFile } });
    expect((await trusted.client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it.each([
    ['--ca-file', { args: ['--ca-file', certFile] }],
    ['HOOP_TLSCA=file://', { env: { HOOP_TLSCA: `file://${certFile}` } }],
    ['HOOP_TLSCA=base64://', { env: { HOOP_TLSCA: `base64://${Buffer.from(tls.cert).toString('base64')}` } }],
  ])('trusts a CA given with %s', async (_how, extra) => {
    const gw = await gateway({ tls });
    const { client } = await bridgeTo(gw, extra);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('HOOP_TLS_SKIP_VERIFY=true connects, with a loud warning', async () => {
    const gw = await gateway({ tls });
    const { client, bridge } = await bridgeTo(gw, { env: { HOOP_TLS_SKIP_VERIFY: 'true' } });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect(bridge.stderrText).toMatch(/TLS certificates are NOT verified/);
  });
});

describe('gateway down', () => {
  it('starts anyway, serves the cached catalogue, fails calls clearly, and recovers without a restart', async () => {
    const gw = await gateway({ version: 'v1', fixtureTools: false });
    const home = tempHome();
    const first = await bridgeTo(gw, { home });
    expect((await first.client.listTools()).tools).toHaveLength(36);
    await first.client.close();
    await gw.stop();

    const { client, bridge } = await bridgeTo(gw, { home });
    const tools = await client.listTools();
    expect(tools.tools).toHaveLength(36);
    expect(bridge.stderrText).toMatch(/stale/);
    const down = await client.callTool({ name: 'connections_list', arguments: {} });
    expect(down.isError).toBe(true);
    expect(text(down)).toMatch(/cannot reach the Hoop gateway at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    await gw.start();
    const up = await client.callTool({ name: 'connections_list', arguments: {} });
    expect(up.isError).toBeFalsy();
  });

  it('without a cached catalogue, tools/list says what is wrong', async () => {
    const gw = await gateway();
    await gw.stop();
    const { client } = await bridgeTo(gw);
    await expect(client.listTools()).rejects.toThrow(/cannot reach the Hoop gateway/);
  });
});
