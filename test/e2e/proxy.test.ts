import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { startProxy, type ProxyFixture } from '../fixtures/proxy.js';
import { BIN, tempHome } from '../helpers/bridge-process.js';
import { gatewayScope } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const gateway = gatewayScope();
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
    const certFile = fileURLToPath(new URL('../fixtures/tls/cert.pem', import.meta.url));
    const tls = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(new URL('../fixtures/tls/key.pem', import.meta.url), 'utf8') };
    const [gw, p] = await Promise.all([gateway({ tls }), proxy()]);
    const res = await status(['--gateway', gw.url, '--ca-file', certFile], { HTTPS_PROXY: p.url });
    expect(res.code).toBe(0);
    expect(p.seen).toContain(`CONNECT ${new URL(gw.url).host}`);
  });

  it('goes direct for hosts in NO_PROXY', async () => {
    const [gw, p] = await Promise.all([gateway(), proxy()]);
    const res = await status(['--gateway', gw.url], { HTTP_PROXY: p.url, NO_PROXY: '127.0.0.1' });
    expect(res.code).toBe(0);
    expect(p.seen).toEqual([]);
  });
});
