import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeychainStore, KeychainUnavailableError, type AsyncEntryLike } from './keychain-store.js';
import { CredentialVault } from './vault.js';

afterEach(() => {
  vi.doUnmock('@napi-rs/keyring');
  vi.resetModules();
});

describe('KeychainStore without its native binary', () => {
  it('reports "keychain unavailable" with advice instead of crashing', async () => {
    // What a stale npx cache or npm's optional-dependency bug leaves behind.
    vi.doMock('@napi-rs/keyring', () => {
      throw new Error('Cannot find native binding');
    });
    const { KeychainStore, KeychainUnavailableError } = await import('./keychain-store.js');
    const attempt = new KeychainStore().get('default@https://gw');
    await expect(attempt).rejects.toBeInstanceOf(KeychainUnavailableError);
    await expect(attempt).rejects.toThrow(/could not be loaded.*reinstall hoop-mcp or clear the npx cache/);
  });

  it('lets the vault fall back to the file', async () => {
    vi.doMock('@napi-rs/keyring', () => {
      throw new Error('Cannot find native binding');
    });
    const { KeychainStore } = await import('./keychain-store.js');
    const { CredentialVault } = await import('./vault.js');
    const files = new Map<string, string>();
    const file = {
      kind: 'file' as const,
      get: async (a: string) => files.get(a),
      set: async (a: string, v: string) => void files.set(a, v),
      delete: async (a: string) => files.delete(a),
    };
    const saved = await new CredentialVault({ keychain: new KeychainStore(), file }).save(
      'p@gw',
      { version: 1, gateway: 'https://gw', token: 'tok-1234567890', source: 'token-stdin', savedAt: '2026-11-26T00:00:00Z' },
      'auto',
    );
    expect(saved.store).toBe('file');
    expect(saved.fallbackReason).toMatch(/could not be loaded/);
  });
});

/** Credential Manager's limit as keyring-rs meets it: 2560 bytes of UTF-16 per entry. */
const WINDOWS_UNITS = 1280;

/** An in-memory keyring; `failWrite` rejects the nth setPassword (1-based) to cut a write short. */
function fakeKeyring(limit = WINDOWS_UNITS, failWrite?: number) {
  const entries = new Map<string, string>();
  let writes = 0;
  class Entry implements AsyncEntryLike {
    constructor(
      private readonly service: string,
      private readonly account: string,
    ) {}
    private get key(): string {
      return `${this.service}/${this.account}`;
    }
    async getPassword(): Promise<string | null> {
      return entries.get(this.key) ?? null;
    }
    async setPassword(password: string): Promise<void> {
      writes += 1;
      if (writes === failWrite) throw new Error('Platform secure storage failure: the write was cut short');
      if (password.length > limit) throw new Error(`Attribute 'password' is longer than platform limit of ${limit * 2} chars`);
      // napi-rs hands Rust a UTF-8 string: a lone surrogate arrives as U+FFFD.
      entries.set(this.key, password.replace(/\p{Cs}/gu, '\uFFFD'));
    }
    async deleteCredential(): Promise<boolean> {
      return entries.delete(this.key);
    }
  }
  return { Entry, entries };
}

const ACCOUNT = 'work@https://gw.example.com';
const HEAD = `hoop-mcp/${ACCOUNT}`;
/** An OAuth credential as `login` stores it, with a JWT-sized token: about 3,000 characters. */
const LONG = JSON.stringify({ token: `eyJ${'a'.repeat(2_400)}`, refreshToken: 'r'.repeat(400), user: { name: 'Zoë 😀' } });

describe('KeychainStore on Windows', () => {
  it('keeps a value that fits as one plain entry', async () => {
    const { Entry, entries } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    await store.set(ACCOUNT, 'short-secret');
    expect([...entries]).toEqual([[HEAD, 'short-secret']]);
    expect(await store.get(ACCOUNT)).toBe('short-secret');
  });

  it('splits a long value over entries that each fit, and reads it back', async () => {
    const { Entry, entries } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    await store.set(ACCOUNT, LONG);
    expect(entries.size).toBe(4); // a header and three parts
    expect(entries.get(HEAD)).toMatch(/^hoop-mcp-chunks:v1:3:[0-9a-f]{8}$/);
    for (const value of entries.values()) expect(value.length).toBeLessThanOrEqual(WINDOWS_UNITS);
    expect(await store.get(ACCOUNT)).toBe(LONG);
  });

  it('never cuts a surrogate pair in two', async () => {
    const { Entry } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    const value = `${'x'.repeat(1_199)}😀${'y'.repeat(1_300)}`;
    await store.set(ACCOUNT, value);
    expect(await store.get(ACCOUNT)).toBe(value);
  });

  it('removes the old parts when a value replaces a long one', async () => {
    const { Entry, entries } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    await store.set(ACCOUNT, LONG);
    const other = LONG.replaceAll('a', 'b');
    await store.set(ACCOUNT, other);
    expect(entries.size).toBe(4);
    expect(await store.get(ACCOUNT)).toBe(other);
    await store.set(ACCOUNT, 'short-secret');
    expect([...entries]).toEqual([[HEAD, 'short-secret']]);
  });

  it('deletes the head and every part', async () => {
    const { Entry, entries } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    await store.set(ACCOUNT, LONG);
    expect(await store.delete(ACCOUNT)).toBe(true);
    expect(entries.size).toBe(0);
    expect(await store.get(ACCOUNT)).toBeUndefined();
    expect(await store.delete(ACCOUNT)).toBe(false);
  });

  it('reads a plain value written by an earlier version', async () => {
    const { Entry, entries } = fakeKeyring();
    const legacy = 'z'.repeat(1_250); // over the chunk size, under the hard limit: once stored whole
    entries.set(HEAD, legacy);
    const store = new KeychainStore({ Entry, platform: 'win32' });
    expect(await store.get(ACCOUNT)).toBe(legacy);
    expect(await store.delete(ACCOUNT)).toBe(true);
    expect(entries.size).toBe(0);
  });

  it('keeps the old value when a long write is cut short, and leaves no parts behind', async () => {
    const { Entry, entries } = fakeKeyring(WINDOWS_UNITS, 3); // the second part of the write below
    const store = new KeychainStore({ Entry, platform: 'win32' });
    await store.set(ACCOUNT, 'old-secret');
    await expect(store.set(ACCOUNT, LONG)).rejects.toBeInstanceOf(KeychainUnavailableError);
    expect([...entries]).toEqual([[HEAD, 'old-secret']]);
  });

  it('refuses a value too long even for chunks, so `auto` falls back to the file', async () => {
    const { Entry, entries } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    await expect(store.set(ACCOUNT, 'x'.repeat(20_000))).rejects.toThrow(/too long for Windows Credential Manager/);
    expect(entries.size).toBe(0);
  });

  it('reports a malformed header or a missing part as unreadable, and lets set and delete replace it', async () => {
    const { Entry, entries } = fakeKeyring();
    const store = new KeychainStore({ Entry, platform: 'win32' });
    for (const head of ['hoop-mcp-chunks:v1:99:0123abcd', 'hoop-mcp-chunks:v2:2:0123abcd', 'hoop-mcp-chunks:garbage']) {
      entries.set(HEAD, head);
      await expect(store.get(ACCOUNT)).rejects.toThrow(new KeychainUnavailableError(`the keychain entry for ${ACCOUNT} has a malformed chunk header; log in again to replace it`));
    }
    expect(await store.delete(ACCOUNT)).toBe(true);
    expect(entries.size).toBe(0);

    await store.set(ACCOUNT, LONG);
    const part2 = [...entries.keys()].find((key) => key.endsWith('.2'));
    entries.delete(part2 ?? '');
    await expect(store.get(ACCOUNT)).rejects.toThrow(/part 2 of 3 of the keychain entry for .* is missing; log in again/);
    await store.set(ACCOUNT, 'short-secret');
    expect([...entries]).toEqual([[HEAD, 'short-secret']]);
  });

  it('lets the vault keep a long OAuth credential in the keychain', async () => {
    const { Entry } = fakeKeyring();
    const file = { kind: 'file' as const, get: async () => undefined, set: async () => expect.fail('no file fallback'), delete: async () => false };
    const vault = new CredentialVault({ keychain: new KeychainStore({ Entry, platform: 'win32' }), file });
    const credential = { version: 1 as const, gateway: 'https://gw', token: `eyJ${'t'.repeat(2_000)}`, refreshToken: 'r'.repeat(500), source: 'oauth' as const, savedAt: '2026-11-26T00:00:00Z' };
    expect(await vault.save(ACCOUNT, credential, 'keychain')).toEqual({ store: 'keychain' });
    expect(await vault.load(ACCOUNT)).toEqual({ credential, store: 'keychain' });
  });
});

describe('KeychainStore elsewhere', () => {
  it('keeps a long value as one entry, as earlier versions wrote it', async () => {
    const { Entry, entries } = fakeKeyring(Number.POSITIVE_INFINITY);
    const store = new KeychainStore({ Entry, platform: 'linux' });
    await store.set(ACCOUNT, LONG);
    expect([...entries]).toEqual([[HEAD, LONG]]);
    expect(await store.get(ACCOUNT)).toBe(LONG);
    expect(await store.delete(ACCOUNT)).toBe(true);
  });
});
