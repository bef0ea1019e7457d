import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import type { Check } from '../../src/commands/doctor.js';
import { startProxy, type ProxyFixture } from '../fixtures/proxy.js';
import { BIN, connectBridge, tempHome } from '../helpers/bridge-process.js';
import { cliAsync } from '../helpers/cli.js';
import { clientScope, gatewayScope, resultText } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const CERT_FILE = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
const TLS = { cert: readFileSync(CERT_FILE, 'utf8'), key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url), 'utf8') };
const gateway = gatewayScope();
const track = clientScope();
const proxies: ProxyFixture[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.stop();
});

async function proxy(): Promise<ProxyFixture> {
  const p = await startProxy();
  proxies.push(p);
  return p;
}

function status(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'status', '--json', ...args], { env: { PATH: process.env.PATH, HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: ADMIN, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

// The fixture gateway is on 127.0.0.1. undici's EnvHttpProxyAgent does not exempt loopback by
// itself (only NO_PROXY does), so these requests really cross the proxy, as a remote gateway's would.
describe('corporate proxy', () => {
  it('sends http:// gateway requests through HTTP_PROXY (even to loopback)', async () => {
    const [gw, p] = await Promise.all([gateway(), proxy()]);
    const res = await status(['--gateway', gw.url], { HTTP_PROXY: p.url });
    expect(res.code).toBe(0);
    // undici tunnels plain http through CONNECT too
    expect(p.seen).toContain(`CONNECT ${new URL(gw.url).host}`);
  });

  it('tunnels https:// gateway requests through HTTPS_PROXY with CONNECT, TLS still verified end to end', async () => {
    const [gw, p] = await Promise.all([gateway({ tls: TLS }), proxy()]);
    const res = await status(['--gateway', gw.url, '--ca-file', CERT_FILE], { HTTPS_PROXY: p.url });
    expect(res.code).toBe(0);
    expect(p.seen).toContain(`CONNECT ${new URL(gw.url).host}`);
  });

  it('an http:// gateway ignores HTTPS_PROXY, and doctor says so', async () => {
    const [gw, p] = await Promise.all([gateway(), proxy()]);
    const res = await status(['--gateway', gw.url], { HTTPS_PROXY: p.url });
    expect(res.code).toBe(0);
    expect(p.seen).toEqual([]);
    const doctor = await cliAsync(['doctor', '--json', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: ADMIN, HTTPS_PROXY: p.url });
    const checks = (JSON.parse(doctor.stdout) as { checks: Check[] }).checks;
    expect(checks.find((c) => c.name === 'proxy')).toMatchObject({ status: 'ok', detail: `direct: an http:// gateway does not use HTTPS_PROXY (${p.url})` });
    expect(p.seen).toEqual([]);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const [gw, p] = await Promise.all([gateway(), proxy()]);
    const res = await status(['--gateway', gw.url], { HTTP_PROXY: p.url, NO_PROXY: '127.0.0.1' });
    expect(res.code).toBe(0);
    expect(p.seen).toEqual([]);
  });
});

describe('serve behind a corporate proxy', () => {
  it.each([
    ['http', 'HTTP_PROXY'],
    ['https', 'HTTPS_PROXY'],
  ] as const)('an MCP client lists and calls tools on an %s gateway through %s, a streamed SSE answer included', async (scheme, variable) => {
    const [gw, p] = await Promise.all([gateway(scheme === 'https' ? { tls: TLS } : {}), proxy()]);
    const { client } = track(
      await connectBridge({ args: ['--gateway', gw.url, ...(scheme === 'https' ? ['--ca-file', CERT_FILE] : [])], env: { HOOP_TOKEN: ADMIN, [variable]: p.url } }),
    );
    expect((await client.listTools()).tools).toHaveLength(55);
    const held = await client.callTool({ name: 'exec', arguments: { connection_name: 'prod-postgres', input: 'delete from t' } });
    const { review_id } = JSON.parse(resultText(held)) as { review_id: string };

    // reviews_wait answers as one SSE stream: progress events while it waits, then the result.
    // Progress arriving before the review is decided proves the tunnel streams rather than buffers.
    const progress: number[] = [];
    const waiting = client.callTool({ name: 'reviews_wait', arguments: { id: review_id, timeout_seconds: 20 } }, undefined, { onprogress: (n) => progress.push(n.progress) });
    await expect.poll(() => progress.length, { timeout: 10_000 }).toBeGreaterThan(0);
    gw.setReviewStatus(review_id, 'APPROVED');
    expect(JSON.parse(resultText(await waiting))).toMatchObject({ status: 'APPROVED', timed_out: false });

    // every connection to the gateway went through the proxy
    expect(p.seen.length).toBeGreaterThan(0);
    expect(new Set(p.seen)).toEqual(new Set([`CONNECT ${new URL(gw.url).host}`]));
  });
});
