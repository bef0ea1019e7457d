import { describe, expect, it } from 'vitest';

import { afterEffects, until } from '../../test/helpers/ink.js';
import { fakeTerminal } from '../../test/helpers/terminal.js';
import type { LoginActions, LoginResult } from '../shared/login.js';
import { renderLogin } from './render-login.js';


const ok: LoginResult = {
  gateway: 'https://hoop.example.com',
  profile: 'work',
  user: { email: 'ana@example.com', groups: [] },
  store: 'keychain',
};

const actions: LoginActions = {
  discover: (gateway) => Promise.resolve({ gateway, authMethod: 'local' }),
  loginLocal: () => Promise.resolve(ok),
  startBrowserLogin: () => Promise.reject(new Error('not used')),
  loginApiKey: () => Promise.resolve(ok),
};


describe('renderLogin', () => {
  it('resolves with the result, and leaves raw mode', async () => {
    const { stdin, stdout, opts } = fakeTerminal();
    const done = renderLogin({ actions, profile: 'work', defaultGateway: 'https://hoop.example.com', ...opts });
    await until(() => stdout.text.includes('Gateway URL'), () => stdout.text, 2_000);
    expect(stdin.rawMode).toBe(true);
    // Each field reads keys only once it is on screen.
    for (const [prompt, keys] of [['Gateway URL', '\r'], ['? Email', 'ana@example.com\r'], ['? Password', 'pw\r']] as const) {
      await until(() => stdout.text.includes(prompt), () => stdout.text, 2_000);
      await afterEffects();
      stdin.press(keys);
    }
    await expect(done).resolves.toEqual(ok);
    expect(stdout.text).toContain('Logged in as');
    expect(stdout.text).toContain('Profile   work');
    expect(stdin.rawMode).toBe(false);
  });

  it('resolves with undefined on Ctrl+C, without ink exiting the process', async () => {
    const { stdin, stdout, opts } = fakeTerminal();
    const done = renderLogin({ actions, profile: 'work', ...opts });
    await until(() => stdout.text.includes('Gateway URL'), () => stdout.text, 2_000);
    await afterEffects();
    stdin.press('\u0003');
    await expect(done).resolves.toBeUndefined();
    expect(stdout.text).toContain('Login cancelled.');
  });

  it('refuses to start without a terminal', async () => {
    const { stdout, opts } = fakeTerminal(false);
    await expect(renderLogin({ actions, profile: 'work', ...opts })).rejects.toThrow(/--token-stdin/);
    expect(stdout.text).toBe('');
  });
});
