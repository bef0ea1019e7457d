import { errorMessage } from '../shared/errors.js';
import type { SecretStore } from './credential.js';

export const KEYCHAIN_SERVICE = 'hoop-mcp';
const TIMEOUT_MS = 5_000;
/** No profile@gateway account looks like this, so the probe never reads a real credential. */
const PROBE_ACCOUNT = 'doctor-probe';

/** The backend @napi-rs/keyring uses on this platform, as its users know it. */
export function keychainBackend(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (D-Bus)';
}

/** The keychain cannot be used here; the message says why and what to do. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError';

  /** `module`: the native binary did not load, so no backend was even asked. */
  constructor(
    message: string,
    readonly failed: 'module' | 'backend' = 'backend',
  ) {
    super(message);
  }
}

interface AsyncEntryLike {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deleteCredential(signal?: AbortSignal): Promise<boolean>;
}
type EntryConstructor = new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => AsyncEntryLike;

let loaded: Promise<EntryConstructor> | undefined;

/** Loaded on first use: a missing native binary must mean "no keychain", not a crash at start-up. */
function loadKeyring(): Promise<EntryConstructor> {
  loaded ??= import('@napi-rs/keyring').then(
    (m) => m.AsyncEntry as unknown as EntryConstructor,
    (err: unknown) => {
      throw new KeychainUnavailableError(
        `the keychain module could not be loaded (${errorMessage(err)}); reinstall hoop-mcp or clear the npx cache (npx clear-npx-cache)`,
        'module',
      );
    },
  );
  return loaded;
}

function advice(err: unknown): string {
  const why = errorMessage(err);
  if (process.platform === 'linux' && /dbus|DBUS_SESSION_BUS_ADDRESS|secret service|org\.freedesktop/i.test(why)) {
    return `no Secret Service is reachable (${why}); start gnome-keyring or KeePassXC in your session, or set DBUS_SESSION_BUS_ADDRESS`;
  }
  if (process.platform === 'darwin' && /locked|interaction/i.test(why)) {
    return `the macOS keychain is locked (${why}); over SSH, run \`security unlock-keychain\` first`;
  }
  return `the OS keychain failed (${why})`;
}

/**
 * The OS keychain through @napi-rs/keyring. On Linux the Secret Service is pinned: the kernel
 * keyring it would otherwise fall back to silently forgets everything at reboot.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;

  private async entry(account: string): Promise<AsyncEntryLike> {
    const AsyncEntry = await loadKeyring();
    try {
      // Constructing an entry throws when no backend is reachable.
      return new AsyncEntry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
    } catch (err) {
      throw new KeychainUnavailableError(advice(err));
    }
  }

  async get(account: string): Promise<string | undefined> {
    const entry = await this.entry(account);
    return (await this.guard((signal) => entry.getPassword(signal))) ?? undefined;
  }

  async set(account: string, secret: string): Promise<void> {
    const entry = await this.entry(account);
    await this.guard((signal) => entry.setPassword(secret, signal));
  }

  async delete(account: string): Promise<boolean> {
    const entry = await this.entry(account);
    return this.guard((signal) => entry.deleteCredential(signal));
  }

  /**
   * Resolves when the keychain answers; rejects with KeychainUnavailableError when not. Looking up
   * an entry that does not exist reaches the backend without prompting or leaving anything behind.
   */
  async probe(): Promise<void> {
    await this.get(PROBE_ACCOUNT);
  }

  /** A locked or absent keychain can hang a call forever; give up after a few seconds. */
  private async guard<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    try {
      return await run(signal);
    } catch (err) {
      if (signal.aborted) throw new KeychainUnavailableError(`the OS keychain did not answer within ${TIMEOUT_MS / 1000}s (is it locked?)`);
      throw new KeychainUnavailableError(advice(err));
    }
  }
}
