import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { accountFor, type StoredCredential } from '../../src/auth/credential.js';
import { FileStore } from '../../src/auth/file-store.js';
import type { LoginResult } from '../../src/shared/login.js';
import { startOAuthServer, type OAuthServerFixture, type OAuthServerOptions } from '../fixtures/oauth-server.js';
import { BIN, connectBridge, tempHome } from '../helpers/bridge-process.js';
import { cliAsync } from '../helpers/cli.js';
import { freePort, loginService } from '../helpers/login.js';
import { clientScope, gatewayScope, resultText } from '../helpers/scope.js';

const gateway = gatewayScope();
const track = clientScope();
const idps: OAuthServerFixture[] = [];
afterEach(async () => {
  for (const idp of idps.splice(0)) await idp.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function setup(idpOpts: OAuthServerOptions = {}) {
  const idp = await startOAuthServer({ staticClientId: 'hoop-static', ...idpOpts });
  idps.push(idp);
  const gw = await gateway({ mcpOAuth: { issuer: idp.url, clientId: 'hoop-static' } });
  return { idp, gw };
}

/** `hoop-mcp login` through the MCP OAuth flow, the test acting as the browser; `issuer`: the authorization server the gateway names. */
async function oauthLogin(gwUrl: string, home: string, issuer = gwUrl): Promise<LoginResult> {
  const login = loginService(home, 3587);
  const discovery = await login.discover(gwUrl);
  expect(discovery.oauth).toMatchObject({ resource: `${gwUrl}/api/mcp`, issuer });
  const browser = await login.startBrowserLogin(discovery);
  expect(browser.callbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  expect(browser.callbackUrl).not.toContain(':3587/');
  const page = await fetch(browser.url);
  expect(await page.text()).toContain('Logged in to Hoop');
  return browser.result;
}

/** `hoop-mcp login --oauth --no-browser …` as a script runs it: resolves once the URL is on stderr. */
async function cliOAuthLogin(gwUrl: string, home: string, extra: string[]) {
  const child = spawn(process.execPath, [BIN, 'login', '--gateway', gwUrl, '--oauth', '--no-browser', '--credential-store', 'file', ...extra], {
    env: { PATH: process.env.PATH, HOOP_MCP_HOME: home },
  });
  child.stdin.end();
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  const url = await new Promise<string>((resolve) => {
    child.stderr.on('data', (d: Buffer) => {
      out.stderr += d.toString();
      const found = /^(http:\/\/127\.0\.0\.1:\d+\/authorize\S*)$/m.exec(out.stderr)?.[1];
      if (found !== undefined) resolve(found);
    });
  });
  const exit = new Promise<number | null>((r) => child.on('exit', r));
  return { url, out, exit };
}

async function stored(home: string, gw: string): Promise<StoredCredential> {
  return JSON.parse((await new FileStore(home).get(accountFor('default', gw))) ?? '{}') as StoredCredential;
}

describe('MCP OAuth', () => {
  it('login: PKCE, the resource indicator, the registration shim, a loopback port; access and refresh token stored together', async () => {
    const { idp, gw } = await setup();
    const home = tempHome();
    const result = await oauthLogin(gw.url, home);
    expect(result).toMatchObject({ gateway: gw.url, user: { email: 'oauth@example.com', groups: ['engineering'] }, store: 'file' });
    expect(idp.authorizations).toEqual([expect.objectContaining({ clientId: 'hoop-static', resource: `${gw.url}/api/mcp` })]);
    // the client came from the gateway's shim, registered with the callback it was sent back to
    const shim = gw.requests.filter((r) => r.method === 'POST' && r.path === '/api/mcp/oauth/register');
    expect(shim).toHaveLength(1);
    expect(shim[0]?.body).toMatchObject({ redirect_uris: [idp.authorizations[0]?.redirectUri], token_endpoint_auth_method: 'none' });
    expect(idp.registrations).toEqual([]);
    const cred = await stored(home, gw.url);
    expect(cred).toMatchObject({ source: 'oauth', clientId: 'hoop-static', resource: `${gw.url}/api/mcp`, tokenEndpoint: `${idp.url}/token` });
    expect(cred.refreshToken).toMatch(/^rt-/);
    expect(Date.parse(cred.expiresAt ?? '')).toBeGreaterThan(Date.now());

    const status = await cliAsync(['status', '--json'], { HOOP_MCP_HOME: home });
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, user: { email: 'oauth@example.com' }, credential: { store: 'file', expiresAt: cred.expiresAt, oauth: { refreshToken: true, issuer: idp.url } }, backend: 'mcp' });
    expect(status.stdout).not.toContain(cred.refreshToken);
  });

  it('a gateway without a static client names the IdP itself: hoop-mcp registers there, and the token is bound to the resource', async () => {
    const idp = await startOAuthServer();
    idps.push(idp);
    const gw = await gateway({ mcpOAuth: { issuer: idp.url } });
    const home = tempHome();
    const result = await oauthLogin(gw.url, home, idp.url);
    expect(result.user.email).toBe('oauth@example.com');
    const [registered] = idp.registrations;
    expect(idp.registrations).toHaveLength(1);
    expect(registered?.clientId).toMatch(/^dcr-/);
    expect(idp.authorizations).toEqual([{ clientId: registered?.clientId, redirectUri: registered?.redirectUris[0], resource: `${gw.url}/api/mcp` }]);
    expect(gw.requests.some((r) => r.path === '/api/mcp/oauth/register')).toBe(false);
    expect(await stored(home, gw.url)).toMatchObject({ source: 'oauth', clientId: registered?.clientId, tokenEndpoint: `${idp.url}/token` });
    // no static client to bind to: the gateway takes the token for its resource URI alone
    const { client } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    expect(resultText(await client.callTool({ name: 'me_get', arguments: {} }))).toContain('oauth@example.com');
  });

  it('login --oauth --no-browser from a shell, with a static --client-id: prints the URL, waits, stores', async () => {
    const { idp, gw } = await setup();
    const home = tempHome();
    const { url, out, exit } = await cliOAuthLogin(gw.url, home, ['--client-id', 'hoop-static']);
    expect(out.stderr).toMatch(/Open this URL in a browser to log in \(it comes back to http:\/\/127\.0\.0\.1:\d+\/callback\)/);
    await fetch(url); // the test is the browser
    const code = await exit;
    const { stdout, stderr } = out;
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`Logged in to ${gw.url}`);
    expect(idp.authorizations).toEqual([expect.objectContaining({ clientId: 'hoop-static', resource: `${gw.url}/api/mcp` })]);
    // a static client needs no registration
    expect(gw.requests.some((r) => r.path === '/api/mcp/oauth/register')).toBe(false);
    expect((await stored(home, gw.url)).clientId).toBe('hoop-static');
    expect(stdout + stderr).not.toMatch(/rt-|eyJ/);
  });

  it('--callback-port: the browser comes back to that fixed port, which an IdP with exact redirect URIs requires', async () => {
    const port = await freePort();
    const callback = `http://127.0.0.1:${port}/callback`;
    const { idp, gw } = await setup({ staticRedirectUris: [callback] });
    const home = tempHome();
    const { url, out, exit } = await cliOAuthLogin(gw.url, home, ['--client-id', 'hoop-static', '--callback-port', String(port)]);
    expect(out.stderr).toContain(`(it comes back to ${callback})`);
    expect(new URL(url).searchParams.get('redirect_uri')).toBe(callback);
    await fetch(url);
    expect(await exit, out.stderr).toBe(0);
    expect(idp.authorizations).toEqual([expect.objectContaining({ clientId: 'hoop-static', redirectUri: callback })]);
    expect((await stored(home, gw.url)).source).toBe('oauth');
  });

  it('--callback-port: a bad number is a usage error; a busy port says so before anyone signs in', async () => {
    const { gw } = await setup();
    for (const bad of ['0', '65536', 'abc', '80.5', '']) {
      const r = await cliAsync(['login', '--gateway', gw.url, '--oauth', '--no-browser', '--callback-port', bad], { HOOP_MCP_HOME: tempHome() });
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toBe(`hoop-mcp: --callback-port takes a port number from 1 to 65535 (got "${bad}")\n`);
    }
    const held = createServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const port = (held.address() as { port: number }).port;
    try {
      const r = await cliAsync(['login', '--gateway', gw.url, '--oauth', '--no-browser', '--client-id', 'hoop-static', '--callback-port', String(port)], { HOOP_MCP_HOME: tempHome() });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        `hoop-mcp: port 127.0.0.1:${port} is busy: another program listens there; stop it, or pass another --callback-port (one your identity provider accepts as redirect URI)\n`,
      );
      expect(r.stdout).toBe('');
    } finally {
      await new Promise((r) => held.close(r));
    }
  });

  it('without a challenge on the 401, discovery falls back to the RFC 9728 address and the login completes', async () => {
    const idp = await startOAuthServer({ staticClientId: 'hoop-static' });
    idps.push(idp);
    const gw = await gateway({ mcpOAuth: { issuer: idp.url, clientId: 'hoop-static', challenge: false } });
    const res = await fetch(`${gw.url}/api/mcp`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
    const home = tempHome();
    expect((await oauthLogin(gw.url, home)).user.email).toBe('oauth@example.com');
    expect(gw.requests.filter((r) => r.path.startsWith('/.well-known/oauth-protected-resource')).map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /.well-known/oauth-protected-resource/api/mcp',
    ]);
    expect((await stored(home, gw.url)).source).toBe('oauth');
  });

  it('a 401 on /api/mcp carries the challenge; hpk_ keys and hoop tokens still work on the same gateway', async () => {
    const { gw } = await setup();
    const res = await fetch(`${gw.url}/api/mcp`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${gw.url}/.well-known/oauth-protected-resource/api/mcp"`);
    for (const token of ['hpk_testkey123', 'hoop-test-admin-token']) {
      const { client } = track(await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_TOKEN: token } }));
      expect((await client.listTools()).tools.length).toBe(55);
    }
  });

  it('serve refreshes across several access-token lifetimes and opens a new upstream session each time', async () => {
    const { idp, gw } = await setup({ accessTokenSeconds: 2 });
    const home = tempHome();
    await oauthLogin(gw.url, home);
    const { client, bridge } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    for (let i = 0; i < 4; i++) {
      const r = await client.callTool({ name: 'me_get', arguments: {} });
      expect(resultText(r)).toContain('oauth@example.com');
      await sleep(1_500);
    }
    const refreshes = idp.grants.filter((g) => g.grant === 'refresh_token');
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.every((g) => g.ok)).toBe(true);
    // identity is frozen at initialize: every refresh means a fresh session
    expect(new Set(gw.initializations.map((i) => i.sessionId)).size).toBeGreaterThanOrEqual(refreshes.length);
    expect((await stored(home, gw.url)).source).toBe('refreshed');
    const cred = await stored(home, gw.url);
    expect(bridge.stderrText).not.toContain(cred.refreshToken);
    expect(bridge.stderrText).not.toContain(cred.token);
  });

  it('two instances refresh at once: one grant per rotation, no reuse of a spent refresh token, both keep working', async () => {
    const { idp, gw } = await setup({ accessTokenSeconds: 2 });
    const home = tempHome();
    await oauthLogin(gw.url, home);
    const a = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    const b = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    for (let i = 0; i < 3; i++) {
      await sleep(1_800);
      const [ra, rb] = await Promise.all([a.client.callTool({ name: 'me_get', arguments: {} }), b.client.callTool({ name: 'me_get', arguments: {} })]);
      expect(resultText(ra)).toContain('oauth@example.com');
      expect(resultText(rb)).toContain('oauth@example.com');
    }
    const refreshes = idp.grants.filter((g) => g.grant === 'refresh_token');
    expect(refreshes.length).toBeGreaterThanOrEqual(2);
    expect(refreshes.filter((g) => !g.ok)).toEqual([]);
  });

  it('a revoked refresh token: serve answers with what to do, and never opens a browser', async () => {
    const { idp, gw } = await setup({ accessTokenSeconds: 2 });
    const home = tempHome();
    await oauthLogin(gw.url, home);
    const { client, bridge } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    expect((await client.listTools()).tools.length).toBe(55);
    idp.revokeRefreshTokens();
    await sleep(2_200);
    const r = await client.callTool({ name: 'me_get', arguments: {} });
    expect(r.isError).toBe(true);
    expect(resultText(r)).toMatch(/run: npx hoop-mcp login/);
    expect(bridge.stderrText).toMatch(/could not renew the OAuth login.*invalid_grant.*run: npx hoop-mcp login/);
    expect(idp.authorizations).toHaveLength(1);
  });
});
