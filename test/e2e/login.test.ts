import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { listenForCallback } from '../../src/auth/browser-login.js';
import { BIN, tempHome } from '../helpers/bridge-process.js';
import { cliAsync } from '../helpers/cli.js';
import { freePort, loginService } from '../helpers/login.js';
import { gatewayScope } from '../helpers/scope.js';

const gateway = gatewayScope();

const service = loginService;

describe('login flows against the gateway fixture', () => {
  it('local: discovers the method, signs in, stores the token and remembers the profile', async () => {
    const gw = await gateway();
    const home = tempHome();
    const login = service(home, await freePort());
    expect(await login.discover(`${gw.url}/`)).toEqual({ gateway: gw.url, authMethod: 'local' });
    await expect(login.loginLocal(gw.url, 'admin@example.com', 'nope')).rejects.toThrow('wrong email or password');
    await expect(login.loginLocal(gw.url, 'ghost@example.com', 'x')).rejects.toThrow(/no user with the email ghost@example.com/);
    const result = await login.loginLocal(gw.url, 'admin@example.com', 'admin-password');
    expect(result).toMatchObject({ gateway: gw.url, profile: 'default', user: { email: 'admin@example.com', groups: ['admin'] }, gatewayVersion: '1.40.0', store: 'file' });
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toEqual({ version: 1, defaultProfile: 'default', profiles: { default: { gateway: gw.url, credentialStore: 'file' } } });
    expect(readFileSync(join(home, 'config.json'), 'utf8')).not.toContain('hoop-test-admin-token');
  });

  it.each(['oidc', 'saml'] as const)('%s: the browser comes back to the loopback callback with a token', async (authMethod) => {
    const port = await freePort();
    const gw = await gateway({ authMethod, loginCallbackPort: port });
    const login = service(tempHome(), port);
    const discovery = await login.discover(gw.url);
    expect(discovery.authMethod).toBe(authMethod);
    const browser = await login.startBrowserLogin(discovery);
    expect(browser.opened).toBe(false);
    expect(browser.url).toBe(`${gw.url}/test-idp/authorize`);
    // the "browser": follows the IdP's redirect to hoop-mcp's callback
    const page = await fetch(browser.url);
    expect(await page.text()).toContain('Logged in to Hoop');
    expect((await browser.result).user.email).toBe('user@example.com');
  });

  it('reports an IdP failure, and a busy callback port before anyone signs in', async () => {
    const port = await freePort();
    const gw = await gateway({ authMethod: 'oidc', loginCallbackPort: port, idpError: 'unexpected_error' });
    const login = service(tempHome(), port);
    const browser = await login.startBrowserLogin(await login.discover(gw.url));
    await fetch(browser.url);
    await expect(browser.result).rejects.toThrow(/failed sign-in \(unexpected_error\)/);

    const held = await listenForCallback(port);
    await expect(login.startBrowserLogin({ gateway: gw.url, authMethod: 'oidc' })).rejects.toThrow(`port 127.0.0.1:${port} is busy`);
    held.close();
  });

  it('times out when the browser never comes back', async () => {
    const waiting = await listenForCallback(await freePort(), { timeoutMs: 100 });
    await expect(waiting.token).rejects.toThrow(/within 3 minutes/);
  });

  it('API keys: hpk_ only, validated against the gateway', async () => {
    const gw = await gateway();
    const login = service(tempHome(), await freePort());
    await expect(login.loginApiKey(gw.url, 'xapi-nope')).rejects.toThrow('starts with hpk_');
    expect((await login.loginApiKey(gw.url, ' hpk_testkey123\n')).user.email).toBe('agent@example.com');
    await expect(login.loginApiKey(gw.url, 'hpk_unknown')).rejects.toThrow(/rejected the token/);
  });

  it('says clearly when the gateway is unreachable', async () => {
    const gw = await gateway();
    await gw.stop();
    await expect(service(tempHome(), await freePort()).discover(gw.url)).rejects.toThrow(/cannot reach the Hoop gateway/);
  });
});

describe('login, status and logout from the shell', () => {
  const cli = (args: string[], env: Record<string, string>, input = '') =>
    spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

  it('login --token-stdin, then status --json, then logout', async () => {
    const gw = await gateway();
    const home = tempHome();
    const login = await cliAsync(['login', '--gateway', gw.url, '--token-stdin', '--credential-store', 'file'], { HOOP_MCP_HOME: home }, 'hoop-test-user-token\n');
    expect(login.status).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${gw.url} (hoop 1.40.0) as user@example.com (groups: engineering); profile default.`);
    expect(login.stdout).toContain('Credential saved to a file readable only by you (--credential-store file).');
    expect(login.stderr).toBe('');

    const status = await cliAsync(['status', '--json'], { HOOP_MCP_HOME: home });
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual({
      profile: 'default',
      gateway: gw.url,
      loggedIn: true,
      user: { email: 'user@example.com', name: 'Plain User', groups: ['engineering'] },
      credential: { store: 'file', expiresAt: null },
      gatewayVersion: '1.40.0',
      backend: 'mcp',
      tools: 55,
      toolChanges: null,
      problem: null,
    });
    const text = await cliAsync(['status'], { HOOP_MCP_HOME: home });
    expect(text.stdout).toMatch(/^Profile\s+default\nGateway\s+http:\/\/127\.0\.0\.1:\d+ \(hoop 1\.40\.0\)\nUser\s+Plain User <user@example\.com> · groups: engineering/);

    expect((await cliAsync(['logout'], { HOOP_MCP_HOME: home })).status).toBe(0);
    expect((await cliAsync(['status'], { HOOP_MCP_HOME: home })).status).toBe(3);
  });

  it('login --api-key-stdin stores an hpk_ key, and refuses anything else', async () => {
    const gw = await gateway();
    const home = tempHome();
    const wrong = await cliAsync(['login', '--gateway', gw.url, '--api-key-stdin', '--credential-store', 'file'], { HOOP_MCP_HOME: home }, 'hoop-test-user-token\n');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('hoop-mcp: a Hoop API key starts with hpk_ (for a session token use --token-stdin)\n');
    const login = await cliAsync(['login', '--gateway', gw.url, '--api-key-stdin', '--credential-store', 'file'], { HOOP_MCP_HOME: home }, '  hpk_testkey123\n');
    expect(login.status).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${gw.url} (hoop 1.40.0) as agent@example.com (groups: admin); profile default.`);
    const status = await cliAsync(['status', '--json'], { HOOP_MCP_HOME: home });
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: true, user: { email: 'agent@example.com' }, credential: { store: 'file' } });
    expect(readFileSync(join(home, 'credentials.json'), 'utf8')).toContain('"source\\":\\"api-key-stdin\\"');
    expect(readFileSync(join(home, 'config.json'), 'utf8')).not.toContain('hpk_');
  });

  it('keeps two gateways side by side: --profile, then HOOP_MCP_PROFILE, then the default picks one', async () => {
    const [work, lab] = [await gateway(), await gateway()];
    const home = tempHome();
    const login = (gw: string, profile: string, token: string) =>
      cliAsync(['login', '--gateway', gw, '--profile', profile, '--token-stdin', '--credential-store', 'file'], { HOOP_MCP_HOME: home }, token);
    expect((await login(work.url, 'work', 'hoop-test-admin-token')).status).toBe(0);
    expect((await login(lab.url, 'lab', 'hoop-test-user-token')).status).toBe(0);
    const status = async (args: string[], env: Record<string, string> = {}) => {
      const r = await cliAsync(['status', '--json', ...args], { HOOP_MCP_HOME: home, ...env });
      expect(r.status).toBe(0);
      const s = JSON.parse(r.stdout) as { profile: string; gateway: string; user: { email: string } };
      return [s.profile, s.gateway, s.user.email];
    };
    const asWork = ['work', work.url, 'admin@example.com'];
    const asLab = ['lab', lab.url, 'user@example.com'];
    // the first login made its profile the default
    expect(await status([])).toEqual(asWork);
    expect(await status(['--profile', 'lab'])).toEqual(asLab);
    expect(await status([], { HOOP_MCP_PROFILE: 'lab' })).toEqual(asLab);
    expect(await status(['--profile', 'work'], { HOOP_MCP_PROFILE: 'lab' })).toEqual(asWork);
    // each gateway saw only its own profile's token
    const bearers = (gw: typeof work) => new Set(gw.requests.map((r) => r.headers.authorization).filter((a) => a !== undefined));
    expect(bearers(work)).toEqual(new Set(['Bearer hoop-test-admin-token']));
    expect(bearers(lab)).toEqual(new Set(['Bearer hoop-test-user-token']));
  });

  it('status exit codes: 3 when not logged in or the token is rejected, 4 when the gateway is unreachable', async () => {
    const gw = await gateway();
    expect((await cliAsync(['status'], { HOOP_MCP_HOME: tempHome() })).status).toBe(3);
    expect((await cliAsync(['status', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: 'revoked-token' })).status).toBe(3);
    const json = await cliAsync(['status', '--json', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: 'hoop-test-admin-token' });
    expect(JSON.parse(json.stdout)).toMatchObject({ loggedIn: true, credential: { store: 'env' } });
    await gw.stop();
    const down = await cliAsync(['status', '--json', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: 'hoop-test-admin-token' });
    expect(down.status).toBe(4);
    expect(JSON.parse(down.stdout).problem).toMatch(/^unreachable: cannot reach/);
  });

  it('status names the REST backend on a gateway without /api/mcp', async () => {
    const gw = await gateway({ mcpEnabled: false });
    const r = await cliAsync(['status', '--json', '--gateway', gw.url], { HOOP_MCP_HOME: tempHome(), HOOP_TOKEN: 'hoop-test-admin-token' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ loggedIn: true, backend: 'rest', tools: 36 });
  });

  it('login without a terminal asks for --token-stdin instead of hanging', () => {
    const r = cli(['login', '--gateway', 'https://hoop.example.com'], { HOOP_MCP_HOME: tempHome() });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/login needs a terminal; in scripts use: hoop-mcp login --gateway <url> --token-stdin/);
  });

  it('moves a login from hoop\'s own CLI into hoop-mcp\'s store', async () => {
    const gw = await gateway();
    const fakeHome = tempHome();
    mkdirSync(join(fakeHome, '.hoop'));
    writeFileSync(join(fakeHome, '.hoop', 'config.toml'), `api_url = "${gw.url}"\ngrpc_url = "127.0.0.1:8010"\ntoken = "hoop-test-admin-token"\ntls_ca = ""\nskip_tls_verify = false\n`);
    const home = tempHome();
    const r = await cliAsync(['login', '--from-hoop-cli', '--credential-store', 'file'], { HOME: fakeHome, HOOP_MCP_HOME: home });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('as admin@example.com');
    expect((await cliAsync(['status'], { HOOP_MCP_HOME: home })).status).toBe(0);
  });
});
