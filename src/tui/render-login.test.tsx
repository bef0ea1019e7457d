import { EventEmitter } from 'node:events';

import { describe, expect, it } from 'vitest';

import type { LoginActions, LoginResult } from '../shared/login.js';
import { renderLogin } from './render-login.js';

/** The least of a terminal that ink needs: a raw-mode stdin and a stdout that keeps what it got. */
class FakeStdin extends EventEmitter {
  isTTY: boolean;
  rawMode = false;
  private pending: string | null = null;
  constructor(isTTY = true) {
    super();
    this.isTTY = isTTY;
  }
  setRawMode(on: boolean): this {
    this.rawMode = on;
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  press(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
}

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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

function streams(isTTY = true): { stdin: FakeStdin; stdout: FakeStdout; opts: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } } {
  const stdin = new FakeStdin(isTTY);
  const stdout = new FakeStdout();
  return { stdin, stdout, opts: { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream } };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await delay(10);
  expect(check()).toBe(true);
}

describe('renderLogin', () => {
  it('resolves with the result, and leaves raw mode', async () => {
    const { stdin, stdout, opts } = streams();
    const done = renderLogin({ actions, profile: 'work', defaultGateway: 'https://hoop.example.com', ...opts });
    await until(() => stdout.text.includes('Gateway URL'));
    expect(stdin.rawMode).toBe(true);
    for (const keys of ['\r', 'ana@example.com', '\r', 'pw', '\r']) {
      stdin.press(keys);
      await delay(30);
    }
    await expect(done).resolves.toEqual(ok);
    expect(stdout.text).toContain('Logged in as');
    expect(stdout.text).toContain('Profile   work');
    expect(stdin.rawMode).toBe(false);
  });

  it('resolves with undefined on Ctrl+C, without ink exiting the process', async () => {
    const { stdin, stdout, opts } = streams();
    const done = renderLogin({ actions, profile: 'work', ...opts });
    await until(() => stdout.text.includes('Gateway URL'));
    stdin.press('\u0003');
    await expect(done).resolves.toBeUndefined();
    expect(stdout.text).toContain('Login cancelled.');
  });

  it('refuses to start without a terminal', async () => {
    const { stdout, opts } = streams(false);
    await expect(renderLogin({ actions, profile: 'work', ...opts })).rejects.toThrow(/--token-stdin/);
    expect(stdout.text).toBe('');
  });
});
