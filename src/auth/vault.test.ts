import { describe, expect, it } from 'vitest';

import type { SecretStore, StoredCredential } from './credential.js';
import { KeychainUnavailableError } from './keychain-store.js';
import { CredentialVault } from './vault.js';

class MemoryStore implements SecretStore {
  readonly entries = new Map<string, string>();
  constructor(
    readonly kind: 'keychain' | 'file',
    private readonly broken = false,
  ) {}
  private check(): void {
    if (this.broken) throw new KeychainUnavailableError('no Secret Service is reachable');
  }
  async get(a: string): Promise<string | undefined> {
    this.check();
    return this.entries.get(a);
  }
  async set(a: string, s: string): Promise<void> {
    this.check();
    this.entries.set(a, s);
  }
  async delete(a: string): Promise<boolean> {
    this.check();
    return this.entries.delete(a);
  }
}

const credential: StoredCredential = { version: 1, gateway: 'https://gw', token: 'tok-123456789', source: 'token-stdin', savedAt: '2026-11-26T00:00:00Z' };

describe('CredentialVault', () => {
  it('prefers the keychain and leaves no copy in the file', async () => {
    const keychain = new MemoryStore('keychain');
    const file = new MemoryStore('file');
    file.entries.set('p@gw', JSON.stringify({ ...credential, token: 'old-token-123' }));
    const vault = new CredentialVault({ keychain, file });
    expect(await vault.save('p@gw', credential, 'auto')).toEqual({ store: 'keychain' });
    expect(file.entries.has('p@gw')).toBe(false);
    expect((await vault.load('p@gw'))?.credential.token).toBe('tok-123456789');
  });

  it('falls back to the file only when the keychain cannot be reached, and says why', async () => {
    const vault = new CredentialVault({ keychain: new MemoryStore('keychain', true), file: new MemoryStore('file') });
    expect(await vault.save('p@gw', credential, 'auto')).toEqual({ store: 'file', fallbackReason: 'no Secret Service is reachable' });
    expect(await vault.load('p@gw')).toEqual({ credential, store: 'file' });
    await expect(vault.save('p@gw', credential, 'keychain')).rejects.toThrow(KeychainUnavailableError);
  });

  it('removes a credential from every store', async () => {
    const keychain = new MemoryStore('keychain');
    const file = new MemoryStore('file');
    keychain.entries.set('p@gw', JSON.stringify(credential));
    file.entries.set('p@gw', JSON.stringify(credential));
    expect(await new CredentialVault({ keychain, file }).remove('p@gw')).toEqual(['keychain', 'file']);
  });

  it('treats an unreadable or foreign entry as no credential', async () => {
    const keychain = new MemoryStore('keychain');
    keychain.entries.set('p@gw', 'not json');
    expect(await new CredentialVault({ keychain, file: new MemoryStore('file') }).load('p@gw')).toBeUndefined();
  });
});
