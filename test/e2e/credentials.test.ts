import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { createVault } from '../../src/app/settings.js';
import { accountFor, type StoredCredential } from '../../src/auth/credential.js';
import { FileStore } from '../../src/auth/file-store.js';
import { DEFAULT_USERS } from '../fixtures/gateway.js';
import { BIN, connectBridge, tempHome } from '../helpers/bridge-process.js';
import { cliAsync } from '../helpers/cli.js';
import { clientScope, gatewayScope } from '../helpers/scope.js';

/** .ci/run sets this inside dbus-run-session with an unlocked gnome-keyring: the keychain tests must run there. */
const REAL_KEYCHAIN = process.env.HOOP_MCP_TEST_KEYCHAIN === '1';
const TOKEN = 'stored-user-token-7c1e0d9a4b';
const gateway = gatewayScope({ users: { ...DEFAULT_USERS, [TOKEN]: { email: 'stored@example.com', name: 'Stored', groups: ['engineering'] } } });
const track = clientScope();

function credentialFor(gw: string, token = TOKEN): StoredCredential {
  return { version: 1, gateway: gw, token, source: 'token-stdin', savedAt: new Date().toISOString() };
}

function writeConfig(home: string, gw: string, store?: 'keychain' | 'file'): void {
  writeFileSync(join(home, 'config.json'), JSON.stringify({ version: 1, profiles: { default: { gateway: gw, ...(store ? { credentialStore: store } : {}) } } }));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

const noBusEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  return env;
};

describe('serve with a stored credential', () => {
  it('uses the profile\'s gateway and stored token, with no flag and no HOOP_TOKEN', async () => {
    const gw = await gateway();
    const home = tempHome();
    writeConfig(home, gw.url, 'file');
    await new FileStore(home).set(accountFor('default', gw.url), JSON.stringify(credentialFor(gw.url)));
    const { client, bridge } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    expect((await client.listTools()).tools.length).toBe(55);
    expect(gw.initializations[0]?.user).toBe('stored@example.com');
    await client.close();
    expect(bridge.stderrText).toMatch(/using the token from the credentials file/);
    expect(bridge.stderrText + bridge.stdout().toString()).not.toContain(TOKEN);
  });

  it('writes a rotated token back to the store it came from', async () => {
    const gw = await gateway({ rotate: { [TOKEN]: 'rotated-stored-token-5f2a8e' } });
    const home = tempHome();
    writeConfig(home, gw.url, 'file');
    const store = new FileStore(home);
    await store.set(accountFor('default', gw.url), JSON.stringify(credentialFor(gw.url)));
    const { client } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    await client.listTools();
    await expect.poll(async () => JSON.parse((await store.get(accountFor('default', gw.url))) ?? '{}') as StoredCredential).toMatchObject({ token: 'rotated-stored-token-5f2a8e', source: 'rotated' });
  });

  it('HOOP_TOKEN wins over the stored credential and is never written', async () => {
    const gw = await gateway();
    const home = tempHome();
    writeConfig(home, gw.url, 'file');
    await new FileStore(home).set(accountFor('default', gw.url), JSON.stringify(credentialFor(gw.url, 'some-other-token-xyz')));
    const { client } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home, HOOP_TOKEN: 'hoop-test-admin-token' } }));
    await client.listTools();
    expect(gw.initializations[0]?.user).toBe('admin@example.com');
    for (const file of filesUnder(home)) expect(readFileSync(file, 'utf8')).not.toContain('hoop-test-admin-token');
  });
});

describe('a credential that changes while serve runs', () => {
  it('picks up a token stored by another instance (or a new login) after a 401, without a restart', async () => {
    const gw = await gateway();
    const home = tempHome();
    writeConfig(home, gw.url, 'file');
    const store = new FileStore(home);
    const account = accountFor('default', gw.url);
    await store.set(account, JSON.stringify(credentialFor(gw.url, 'stale-token-no-longer-valid')));
    const { client } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    await expect(client.listTools()).rejects.toThrow(/rejected the token/);
    await store.set(account, JSON.stringify(credentialFor(gw.url)));
    expect((await client.listTools()).tools.length).toBe(55);
    expect(gw.initializations.at(-1)?.user).toBe('stored@example.com');
  });

  it('starts not logged in and works as soon as a login is stored', async () => {
    const gw = await gateway();
    const home = tempHome();
    writeConfig(home, gw.url, 'file');
    const { client } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home } }));
    await expect(client.listTools()).rejects.toThrow(/not logged in/);
    await new FileStore(home).set(accountFor('default', gw.url), JSON.stringify(credentialFor(gw.url)));
    expect((await client.listTools()).tools.length).toBe(55);
  });
});

/**
 * Homes as released versions left them (test/fixtures/data/home-<version>): config.json, the
 * credentials file, and keychain.json with what the OS keychain held (service hoop-mcp, account →
 * secret). The gateway in them is http://hoop.invalid, swapped for the fixture's address; the
 * tokens are the fixture's. A format change adds a directory here; none is ever edited.
 */
const HOMES = new URL('../fixtures/data/', import.meta.url);
const RELEASED = readdirSync(HOMES).filter((d) => d.startsWith('home-'));
const DATA_GATEWAY = 'http://hoop.invalid';

function releasedHome(version: string, gw: string): { home: string; keychain: Record<string, string> } {
  const home = tempHome();
  const read = (file: string): string => readFileSync(new URL(`${version}/${file}`, HOMES), 'utf8').replaceAll(DATA_GATEWAY, gw);
  writeFileSync(join(home, 'config.json'), read('config.json'));
  writeFileSync(join(home, 'credentials.json'), read('credentials.json'), { mode: 0o600 });
  return { home, keychain: JSON.parse(read('keychain.json')) as Record<string, string> };
}

describe.each(RELEASED)('upgrading from %s never logs anyone out', (version) => {
  it('status accepts the stored credential file and config', async () => {
    const gw = await gateway();
    const { home } = releasedHome(version, gw.url);
    const r = await cliAsync(['status', '--json'], { HOOP_MCP_HOME: home });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'default', gateway: gw.url, loggedIn: true, user: { email: 'user@example.com' }, credential: { store: 'file' } });
  });

  it.runIf(REAL_KEYCHAIN)('status accepts the keychain entry as that version stored it', async () => {
    const gw = await gateway();
    const { home, keychain } = releasedHome(version, gw.url);
    const accounts = Object.keys(keychain);
    for (const account of accounts) {
      execFileSync('secret-tool', ['store', '--label', `hoop-mcp upgrade test ${account}`, 'service', 'hoop-mcp', 'username', account], { input: keychain[account] });
    }
    try {
      const r = await cliAsync(['status', '--json', '--profile', 'desk'], { HOOP_MCP_HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? '' });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ profile: 'desk', loggedIn: true, user: { email: 'admin@example.com' }, credential: { store: 'keychain' } });
    } finally {
      for (const account of accounts) spawnSync('secret-tool', ['clear', 'service', 'hoop-mcp', 'username', account]);
    }
  });
});

describe('logout', () => {
  it('removes the credential from every store and is idempotent', async () => {
    const home = tempHome();
    writeConfig(home, 'https://hoop.example.com', 'file');
    await new FileStore(home).set(accountFor('default', 'https://hoop.example.com'), JSON.stringify(credentialFor('https://hoop.example.com')));
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'logout', ...args], { encoding: 'utf8', env: { ...noBusEnv(), HOOP_MCP_HOME: home } });
    const first = run([]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Logged out of https:\/\/hoop\.example\.com \(profile default\): removed from the credentials file/);
    expect(run([]).stdout).toMatch(/No stored credential for profile default/);
    expect(run(['--all', '--profile', 'x']).status).toBe(2);
  });

  it('--all removes every profile\'s credential and leaves the other settings', async () => {
    const home = tempHome();
    const profiles = { work: 'https://hoop.work.example.com', lab: 'https://hoop.lab.example.com:8443' };
    writeFileSync(
      join(home, 'config.json'),
      JSON.stringify({ version: 1, defaultProfile: 'work', profiles: { work: { gateway: profiles.work, credentialStore: 'file' }, lab: { gateway: `${profiles.lab}/`, credentialStore: 'file', readOnly: true } } }),
    );
    const store = new FileStore(home);
    for (const [profile, gw] of Object.entries(profiles)) await store.set(accountFor(profile, gw), JSON.stringify(credentialFor(gw)));
    const r = spawnSync(process.execPath, [BIN, 'logout', '--all'], { encoding: 'utf8', env: { ...noBusEnv(), HOOP_MCP_HOME: home } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Logged out of ${profiles.work} (profile work): removed from the credentials file.`);
    expect(r.stdout).toContain(`Logged out of ${profiles.lab} (profile lab): removed from the credentials file.`);
    for (const [profile, gw] of Object.entries(profiles)) expect(await store.get(accountFor(profile, gw))).toBeUndefined();
    expect(readFileSync(join(home, 'credentials.json'), 'utf8')).not.toContain(TOKEN);
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toEqual({
      version: 1,
      defaultProfile: 'work',
      profiles: { work: { gateway: profiles.work }, lab: { gateway: `${profiles.lab}/`, readOnly: true } },
    });
  });
});

describe('the keychain', () => {
  it('falls back to the 0600 file, with the reason, where no Secret Service bus exists', () => {
    const home = tempHome();
    const script = `
      const { createVault } = await import(${JSON.stringify(new URL('../../dist/app/settings.js', import.meta.url).href)});
      const out = await createVault(${JSON.stringify(home)}).save('default@https://gw', ${JSON.stringify(credentialFor('https://gw'))}, 'auto');
      process.stdout.write(JSON.stringify(out));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: noBusEnv() });
    const outcome = JSON.parse(out) as { store: string; fallbackReason?: string };
    expect(outcome.store).toBe('file');
    if (process.platform === 'linux') expect(outcome.fallbackReason).toMatch(/Secret Service|DBUS/);
    expect(statSync(join(home, 'credentials.json')).mode & 0o777).toBe(0o600);
  });

  describe.runIf(REAL_KEYCHAIN)('against a real Secret Service', () => {
    it('stores, finds and deletes the entry; no file under HOOP_MCP_HOME holds the token', async () => {
      const home = tempHome();
      const vault = createVault(home);
      const account = accountFor('ci', 'https://keychain.example.com');
      expect(await vault.save(account, credentialFor('https://keychain.example.com'), 'auto')).toEqual({ store: 'keychain' });
      const found = execFileSync('secret-tool', ['lookup', 'service', 'hoop-mcp', 'username', account], { encoding: 'utf8' });
      expect(JSON.parse(found)).toMatchObject({ token: TOKEN });
      for (const file of filesUnder(home)) expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
      expect((await vault.load(account))?.store).toBe('keychain');
      expect(await vault.remove(account)).toEqual(['keychain']);
      expect(spawnSync('secret-tool', ['lookup', 'service', 'hoop-mcp', 'username', account]).status).not.toBe(0);
    });

    it('logout --all removes one profile from the keychain and another from the file', async () => {
      const home = tempHome();
      const [work, lab] = ['https://keychain-work.example.com', 'https://keychain-lab.example.com'];
      writeFileSync(join(home, 'config.json'), JSON.stringify({ version: 1, profiles: { work: { gateway: work, credentialStore: 'keychain' }, lab: { gateway: lab, credentialStore: 'file' } } }));
      expect(await createVault(home).save(accountFor('work', work), credentialFor(work), 'keychain')).toEqual({ store: 'keychain' });
      await new FileStore(home).set(accountFor('lab', lab), JSON.stringify(credentialFor(lab)));
      const r = spawnSync(process.execPath, [BIN, 'logout', '--all'], { encoding: 'utf8', env: { ...process.env, HOOP_MCP_HOME: home } });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Logged out of ${work} (profile work): removed from the OS keychain.`);
      expect(r.stdout).toContain(`Logged out of ${lab} (profile lab): removed from the credentials file.`);
      expect(spawnSync('secret-tool', ['lookup', 'service', 'hoop-mcp', 'username', accountFor('work', work)]).status).not.toBe(0);
      expect(await new FileStore(home).get(accountFor('lab', lab))).toBeUndefined();
    });

    it('serve reads its token from the keychain', async () => {
      const gw = await gateway();
      const home = tempHome();
      writeConfig(home, gw.url, 'keychain');
      await createVault(home).save(accountFor('default', gw.url), credentialFor(gw.url), 'keychain');
      const { client, bridge } = track(await connectBridge({ args: [], env: { HOOP_MCP_HOME: home, DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } }));
      expect((await client.listTools()).tools.length).toBe(55);
      await client.close();
      expect(bridge.stderrText).toMatch(/using the token from the OS keychain/);
      await createVault(home).remove(accountFor('default', gw.url));
    });
  });
});
