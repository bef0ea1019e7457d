import { afterEach, describe, expect, it, vi } from 'vitest';

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
