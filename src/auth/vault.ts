import { errorMessage } from '../shared/errors.js';
import { parseStoredCredential, type CredentialStoreKind, type SecretStore, type StoredCredential } from './credential.js';
import { KeychainUnavailableError } from './keychain-store.js';

export type StoreChoice = 'auto' | CredentialStoreKind;

export interface SaveOutcome {
  store: CredentialStoreKind;
  /** Set when `auto` had to fall back to the file: why the keychain could not be used. */
  fallbackReason?: string;
}

/**
 * The credential stores behind one interface: the keychain first, the 0600 file only when the
 * keychain cannot be reached (`auto`), or exactly the one the user chose.
 */
export class CredentialVault {
  constructor(private readonly stores: Record<CredentialStoreKind, SecretStore>) {}

  /** Reads the credential, from `prefer` first; a store that cannot be read counts as empty. */
  async load(account: string, prefer: CredentialStoreKind = 'keychain'): Promise<{ credential: StoredCredential; store: CredentialStoreKind } | undefined> {
    const order: CredentialStoreKind[] = prefer === 'file' ? ['file', 'keychain'] : ['keychain', 'file'];
    for (const kind of order) {
      const raw = await this.stores[kind].get(account).catch(() => undefined);
      const credential = parseStoredCredential(raw);
      if (credential !== undefined) return { credential, store: kind };
    }
    return undefined;
  }

  async save(account: string, credential: StoredCredential, choice: StoreChoice): Promise<SaveOutcome> {
    const secret = JSON.stringify(credential);
    if (choice === 'file') {
      await this.stores.file.set(account, secret);
      return { store: 'file' };
    }
    try {
      await this.stores.keychain.set(account, secret);
      // A stale copy in the file would be found by other readers: keep one source.
      await this.stores.file.delete(account).catch(() => false);
      return { store: 'keychain' };
    } catch (err) {
      if (choice === 'keychain' || !(err instanceof KeychainUnavailableError)) throw err;
      await this.stores.file.set(account, secret);
      return { store: 'file', fallbackReason: errorMessage(err) };
    }
  }

  /** Removes the credential from every store; returns the stores it was in. */
  async remove(account: string): Promise<CredentialStoreKind[]> {
    const removed: CredentialStoreKind[] = [];
    for (const kind of ['keychain', 'file'] as const) {
      if (await this.stores[kind].delete(account).catch(() => false)) removed.push(kind);
    }
    return removed;
  }
}
