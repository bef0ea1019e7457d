import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { startGateway } from '../../test/fixtures/gateway.js';
import { startOAuthServer } from '../../test/fixtures/oauth-server.js';
import { tempHome } from '../../test/helpers/bridge-process.js';
import { freePort, loginService } from '../../test/helpers/login.js';
import type { BrowserLogin, GatewayDiscovery, LoginActions, LoginResult } from '../shared/login.js';


interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const GATEWAY = 'https://hoop.example.com';

function result(over: Partial<LoginResult> = {}): LoginResult {
  return {
    gateway: GATEWAY,
    profile: 'default',
    user: { email: 'ana@example.com', name: 'Ana Lima', groups: ['admin', 'sre'] },
    gatewayVersion: '1.35.2',
    store: 'keychain',
    ...over,
  };
}

interface FakeBrowser {
  login: BrowserLogin;
  done: Deferred<LoginResult>;
  cancelled: () => number;
}

function fakeBrowser(url: string, opened: boolean): FakeBrowser {
  const done = deferred<LoginResult>();
  let cancels = 0;
  const login: BrowserLogin = {
    url,
    opened,
    result: done.promise,
    cancel() {
      cancels++;
      done.reject(new Error('login cancelled'));
    },
  };
  return { login, done, cancelled: () => cancels };
}

/** Records every call; each action answers with what the test queued, in order. */
class FakeActions implements LoginActions {
  calls: string[] = [];
  discoverAnswers: Array<GatewayDiscovery | Error> = [];
  localAnswers: Array<LoginResult | Error> = [];
  browserAnswers: Array<BrowserLogin | Error> = [];
  keyAnswers: Array<LoginResult | Error> = [];

  private static answer<T>(queue: Array<T | Error>): Promise<T> {
    const next = queue.shift();
    if (next === undefined) return new Promise<T>(() => undefined); // never answers
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }

  discover(gateway: string): Promise<GatewayDiscovery> {
    this.calls.push(`discover ${gateway}`);
    return FakeActions.answer(this.discoverAnswers);
  }
  loginLocal(gateway: string, email: string, password: string): Promise<LoginResult> {
    this.calls.push(`loginLocal ${gateway} ${email} ${password}`);
    return FakeActions.answer(this.localAnswers);
  }
  startBrowserLogin(discovery: GatewayDiscovery): Promise<BrowserLogin> {
    this.calls.push(`startBrowserLogin ${discovery.gateway} ${discovery.authMethod}`);
    return FakeActions.answer(this.browserAnswers);
  }
  loginApiKey(gateway: string, key: string): Promise<LoginResult> {
    this.calls.push(`loginApiKey ${gateway} ${key}`);
    return FakeActions.answer(this.keyAnswers);
  }
}

import { LoginApp } from './LoginApp.js';
import { delay, pressKeys, until } from '../../test/helpers/ink.js';

const ENTER = '\r';
const ESC = '\u001B';
const TAB = '\t';
const CTRL_C = '\u0003';

interface Started {
  frame(): string;
  frames: string[];
  press(keys: string): Promise<void>;
  type(text: string): Promise<void>;
  waitFor(text: string): Promise<void>;
  onDone: ReturnType<typeof vi.fn<(r: LoginResult | undefined) => void>>;
}

async function start(actions: LoginActions, extra: { defaultGateway?: string; importOffer?: { gateway: string; accept(): Promise<LoginResult> } } = {}): Promise<Started> {
  const onDone = vi.fn<(r: LoginResult | undefined) => void>();
  const app = render(<LoginApp actions={actions} profile="default" onDone={onDone} {...extra} />);
  const frame = (): string => app.lastFrame() ?? '';
  const press = (keys: string): Promise<void> => pressKeys(app.stdin, keys, 30);
  // Keys written before ink has mounted its input hooks are lost: wait for the first frame.
  await until(() => frame() !== '', frame);
  await delay(30);
  return {
    frame,
    frames: app.frames,
    press,
    async type(text) {
      for (const ch of text) await press(ch);
    },
    waitFor: (text) => until(() => frame().includes(text), frame),
    onDone,
  };
}

afterEach(() => cleanup());

const local: GatewayDiscovery = { gateway: GATEWAY, authMethod: 'local' };
const oidc: GatewayDiscovery = { gateway: GATEWAY, authMethod: 'oidc' };

describe('LoginApp, email and password', () => {
  it('logs in, never shows the password, and reports who you are', async () => {
    const actions = new FakeActions();
    actions.discoverAnswers.push(local);
    actions.localAnswers.push(result());
    const app = await start(actions, { defaultGateway: GATEWAY });

    await app.waitFor('Gateway URL');
    expect(app.frame()).toContain(GATEWAY);
    expect(app.frame()).toContain('enter continue · esc quit');
    await app.press(ENTER);
    await app.waitFor('? Email');
    expect(app.frame()).toContain('✓ Gateway https://hoop.example.com · email and password');
    await app.type('ana@example.com');
    await app.press(ENTER);
    await app.waitFor('? Password');
    await app.type('s3cret-pw');
    await app.waitFor('•••••••••');
    await app.press(ENTER);
    await app.waitFor('Logged in as');

    expect(actions.calls).toEqual([`discover ${GATEWAY}`, `loginLocal ${GATEWAY} ana@example.com s3cret-pw`]);
    expect(app.frames.some((f) => f.includes('s3cret'))).toBe(false);
    await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
    expect(app.onDone).toHaveBeenCalledExactlyOnceWith(result());
    expect(app.frame()).toMatchInlineSnapshot(`
      "Log in to Hoop · profile default
      ✓ Gateway https://hoop.example.com · email and password
      ✓ Logged in as Ana Lima (ana@example.com)
        Groups    admin, sre
        Gateway   https://hoop.example.com (version 1.35.2)
        Profile   default
      ✓ Saved in the OS keychain."
    `);
  });

  it('asks for the password again after a wrong one, with the message', async () => {
    const actions = new FakeActions();
    actions.discoverAnswers.push(local);
    actions.localAnswers.push(new Error('wrong email or password'), result());
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('? Email');
    await app.type('ana@example.com');
    await app.press(ENTER);
    await app.waitFor('? Password');
    await app.type('nope');
    await app.press(ENTER);
    await app.waitFor('wrong email or password');
    expect(app.frame()).toContain('✗ wrong email or password');
    expect(app.frame()).toContain('Email ana@example.com');
    expect(app.frame()).not.toContain('••••'); // the field starts empty again
    await app.type('right');
    await app.press(ENTER);
    await app.waitFor('Logged in as');
    expect(actions.calls.slice(1)).toEqual([`loginLocal ${GATEWAY} ana@example.com nope`, `loginLocal ${GATEWAY} ana@example.com right`]);
    await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
    expect(app.onDone).toHaveBeenCalledOnce();
  });

  it('Tab on the email switches to an API key, which is masked and checked', async () => {
    const actions = new FakeActions();
    actions.discoverAnswers.push(local);
    actions.keyAnswers.push(result());
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('? Email');
    expect(app.frame()).toContain('tab use an API key');
    await app.press(TAB);
    await app.waitFor('? API key');
    expect(app.frame()).toContain('tab use email and password');
    await app.type('abc');
    await app.press(ENTER);
    await app.waitFor('they start with hpk_');
    await app.type('hpk_0123456789');
    await app.press(ENTER);
    await app.waitFor('Logged in as');
    expect(actions.calls).toEqual([`discover ${GATEWAY}`, `loginApiKey ${GATEWAY} hpk_0123456789`]);
    expect(app.frames.some((f) => f.includes('hpk_0123'))).toBe(false);
  });
});

describe('LoginApp, browser', () => {
  const URL_LONG = `https://idp.example.com/oauth2/v1/authorize?client_id=0oa1b2c3d4e5f6g7h8i9&redirect_uri=${encodeURIComponent(`${GATEWAY}/api/callback`)}&response_type=code&scope=openid%20profile%20email%20groups&state=Zm9vYmFyYmF6cXV4cXV1eA`;

  it('shows the whole URL when no browser opened, and finishes when the gateway calls back', async () => {
    const actions = new FakeActions();
    const browser = fakeBrowser(URL_LONG, false);
    actions.discoverAnswers.push(oidc);
    actions.browserAnswers.push(browser.login);
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('Open the URL above in a browser');

    expect(URL_LONG.length).toBeGreaterThan(100); // wider than the test terminal
    expect(app.frames.some((f) => f.includes(`Open this URL in a browser:\n${URL_LONG}\n`))).toBe(true);
    expect(app.frame()).toContain('single sign-on (OIDC)');
    expect(app.frame()).toMatch(/[23]:\d\d left/);
    expect(app.frame()).toContain('ssh -L 3587:127.0.0.1:3587');
    expect(app.frame()).toContain('k paste an API key instead · q quit');

    browser.done.resolve(result());
    await app.waitFor('Logged in as');
    await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
    expect(app.onDone).toHaveBeenCalledExactlyOnceWith(result());
    expect(browser.cancelled()).toBe(0);
  });

  it('k cancels the browser login and asks for an API key', async () => {
    const actions = new FakeActions();
    const browser = fakeBrowser('https://idp.example.com/login', true);
    actions.discoverAnswers.push(oidc);
    actions.browserAnswers.push(browser.login);
    actions.keyAnswers.push(result());
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('Opening your browser');
    expect(app.frame()).not.toContain('ssh -L');
    await app.press('k');
    await app.waitFor('? API key');
    expect(browser.cancelled()).toBe(1);
    expect(app.frame()).toContain('tab use the browser');
    await app.type('hpk_secret');
    await app.press(ENTER);
    await app.waitFor('Logged in as');
    expect(actions.calls.at(-1)).toBe(`loginApiKey ${GATEWAY} hpk_secret`);
    await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
    expect(app.onDone).toHaveBeenCalledOnce();
  });

  it('a busy port or a timeout can be retried', async () => {
    const actions = new FakeActions();
    const browser = fakeBrowser('https://idp.example.com/login', true);
    actions.discoverAnswers.push({ gateway: GATEWAY, authMethod: 'saml' });
    actions.browserAnswers.push(new Error('port 127.0.0.1:3587 is busy: another login may be running'), browser.login);
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('port 127.0.0.1:3587 is busy');
    expect(app.frame()).toContain('The browser login did not finish');
    expect(app.frame()).toContain('r try again · k paste an API key · q quit');
    await app.press('r');
    await app.waitFor('Opening your browser');
    browser.done.reject(new Error('no answer from the browser within 3 minutes'));
    await app.waitFor('no answer from the browser within 3 minutes');
    expect(actions.calls.filter((c) => c.startsWith('startBrowserLogin'))).toHaveLength(2);
    expect(app.onDone).not.toHaveBeenCalled();
  });

  it('Ctrl+C while waiting cancels the browser login and reports undefined once', async () => {
    const actions = new FakeActions();
    const browser = fakeBrowser('https://idp.example.com/login', true);
    actions.discoverAnswers.push(oidc);
    actions.browserAnswers.push(browser.login);
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('Opening your browser');
    await app.press(CTRL_C);
    await app.waitFor('Login cancelled.');
    expect(browser.cancelled()).toBe(1);
    await delay(30);
    await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
    expect(app.onDone).toHaveBeenCalledExactlyOnceWith(undefined);
  });
});

describe('LoginApp, MCP OAuth', () => {
  it('walks discovery, registration, the browser and done with the real login flows against the gateway and IdP fixtures', async () => {
    const idp = await startOAuthServer({ staticClientId: 'hoop-static' });
    const gw = await startGateway({ authMethod: 'oidc', mcpOAuth: { issuer: idp.url, clientId: 'hoop-static' } });
    try {
      const app = await start(loginService(tempHome(), await freePort()), { defaultGateway: gw.url });
      await app.press(ENTER);
      await app.waitFor('Open the URL above in a browser');
      const seen = app.frames.join('\n');
      expect(seen).toContain(`Looking up ${gw.url}…`);
      expect(seen).toContain('Registering hoop-mcp with the identity provider…');
      expect(app.frame()).toContain(`✓ Gateway ${gw.url} · MCP OAuth 2.1 (${gw.url})`);
      expect(app.frame()).toMatch(/Your browser comes back to http:\/\/127\.0\.0\.1:\d+\/callback when you are done\./);
      expect(app.frame()).toContain('k paste an API key instead · q quit');
      // the URL is written above the live frame once that is drawn
      const urlIn = (): string | undefined => /Open this URL in a browser:\n(\S+)\n/.exec(app.frames.join('\n'))?.[1];
      await until(() => urlIn() !== undefined, app.frame);
      const url = urlIn() ?? '';
      expect(url.startsWith(`${idp.url}/authorize?`)).toBe(true);

      await fetch(url); // the test is the browser
      await app.waitFor('Logged in as');
      expect(app.frame()).toContain('✓ Logged in as OAuth User (oauth@example.com)');
      expect(app.frame()).toMatch(/Groups +engineering/);
      await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
      expect(app.onDone).toHaveBeenCalledExactlyOnceWith(
        expect.objectContaining({ gateway: gw.url, user: expect.objectContaining({ email: 'oauth@example.com' }), store: 'file', expiresAt: expect.any(String) }),
      );
      expect(idp.authorizations).toHaveLength(1);
    } finally {
      await gw.stop();
      await idp.stop();
    }
  });

  it('MCP OAuth goes to the browser even where hoop itself signs in with email and password', async () => {
    const actions = new FakeActions();
    const browser = fakeBrowser('https://idp.example.com/authorize', false);
    const oauth = { resource: `${GATEWAY}/api/mcp`, issuer: GATEWAY, authorizationEndpoint: 'https://idp.example.com/authorize', tokenEndpoint: 'https://idp.example.com/token' };
    actions.discoverAnswers.push({ ...local, oauth });
    actions.browserAnswers.push(browser.login);
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('Open the URL above in a browser');
    expect(app.frame()).toContain(`✓ Gateway ${GATEWAY} · MCP OAuth 2.1 (${GATEWAY})`);
    await app.press('k');
    await app.waitFor('? API key');
    expect(app.frame()).toContain('tab use the browser');
  });
});

describe('LoginApp, gateway and the rest', () => {
  it('shows a discovery error, then retries or edits the URL', async () => {
    const actions = new FakeActions();
    actions.discoverAnswers.push(
      new Error('cannot reach the Hoop gateway at https://hoop.example.com (ECONNREFUSED): is the URL right?'),
      new Error('certificate signed by an unknown authority: set HOOP_TLSCA or NODE_EXTRA_CA_CERTS'),
      local,
    );
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('ECONNREFUSED');
    expect(app.frame()).toMatchInlineSnapshot(`
      "Log in to Hoop · profile default
      ✗ Could not use https://hoop.example.com
        cannot reach the Hoop gateway at https://hoop.example.com (ECONNREFUSED): is the URL right?

      r retry · e edit the URL · q quit"
    `);
    await app.press('r');
    await app.waitFor('unknown authority');
    await app.press('e');
    await app.waitFor('? Gateway URL');
    expect(app.frame()).toContain(GATEWAY);
    await app.press(ENTER);
    await app.waitFor('? Email');
    expect(actions.calls).toEqual([`discover ${GATEWAY}`, `discover ${GATEWAY}`, `discover ${GATEWAY}`]);
  });

  it('asks for a URL when there is no default, and refuses an empty one', async () => {
    const actions = new FakeActions();
    const app = await start(actions);
    await app.waitFor('? Gateway URL');
    expect(app.frame()).toContain('https://hoop.example.com'); // the placeholder
    await app.press(ENTER);
    await app.waitFor('Enter the address of your Hoop gateway.');
    expect(actions.calls).toEqual([]);
    await app.type('hoop.internal:8009');
    await app.press(ENTER);
    await app.waitFor('Looking up hoop.internal:8009');
    expect(actions.calls).toEqual(['discover hoop.internal:8009']);
  });

  it('warns when the credential went to a file', async () => {
    const actions = new FakeActions();
    actions.discoverAnswers.push(local);
    actions.keyAnswers.push(result({ store: 'file', fallbackReason: 'no Secret Service on the session bus', gatewayVersion: undefined }));
    const app = await start(actions, { defaultGateway: GATEWAY });
    await app.press(ENTER);
    await app.waitFor('? Email');
    await app.press(TAB);
    await app.waitFor('? API key');
    await app.type('hpk_x');
    await app.press(ENTER);
    await app.waitFor('Logged in as');
    expect(app.frame().replace(/\s+/g, ' ')).toContain(
      '! No keychain available (no Secret Service on the session bus); saved to a file readable only by you.',
    );
    expect(app.frame()).not.toContain('OS keychain');
    expect(app.frame()).not.toContain('version');
  });

  it('Esc quits from a text field, q from elsewhere; both report undefined', async () => {
    const first = await start(new FakeActions(), { defaultGateway: GATEWAY });
    await first.type('q'); // typed into the URL, not a quit
    await first.waitFor(`${GATEWAY}q`);
    expect(first.onDone).not.toHaveBeenCalled();
    await first.press(ESC);
    await first.waitFor('Login cancelled.');
    await vi.waitFor(() => expect(first.onDone).toHaveBeenCalled());
    expect(first.onDone).toHaveBeenCalledExactlyOnceWith(undefined);

    const actions = new FakeActions();
    actions.discoverAnswers.push(new Error('cannot reach the Hoop gateway'));
    const second = await start(actions, { defaultGateway: GATEWAY });
    await second.press(ENTER);
    await second.waitFor('cannot reach');
    await second.press('q');
    await second.waitFor('Login cancelled.');
    await vi.waitFor(() => expect(second.onDone).toHaveBeenCalled());
    expect(second.onDone).toHaveBeenCalledExactlyOnceWith(undefined);
  });

  it('moves a login from hoop’s CLI when accepted', async () => {
    const accepted = result({ gateway: 'https://hoop.corp.example' });
    const accept = vi.fn(() => Promise.resolve(accepted));
    const actions = new FakeActions();
    const app = await start(actions, { importOffer: { gateway: 'https://hoop.corp.example', accept } });
    await app.waitFor('Found a login');
    expect(app.frame()).toContain("Found a login from hoop's CLI for https://hoop.corp.example. Move it into the keychain? (Y/n)");
    await app.press('y');
    await app.waitFor('Logged in as');
    expect(accept).toHaveBeenCalledOnce();
    expect(actions.calls).toEqual([]);
    await vi.waitFor(() => expect(app.onDone).toHaveBeenCalled());
    expect(app.onDone).toHaveBeenCalledExactlyOnceWith(accepted);
  });

  it('declining the import, or a failed import, goes on to the gateway URL', async () => {
    const declined = await start(new FakeActions(), { importOffer: { gateway: 'https://hoop.corp.example', accept: () => Promise.resolve(result()) } });
    await declined.waitFor('Found a login');
    await declined.press('n');
    await declined.waitFor('? Gateway URL');
    expect(declined.frame()).toContain('https://hoop.corp.example');

    const failed = await start(new FakeActions(), {
      importOffer: { gateway: 'https://hoop.corp.example', accept: () => Promise.reject(new Error('the keychain is locked')) },
    });
    await failed.waitFor('Found a login');
    await failed.press(ENTER);
    await failed.waitFor('? Gateway URL');
    expect(failed.frame()).toContain('Could not move that login: the keychain is locked');
    expect(failed.onDone).not.toHaveBeenCalled();
  });
});
