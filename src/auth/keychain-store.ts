import { randomBytes } from 'node:crypto';
import { errorMessage } from '../shared/errors.js';
import type { SecretStore } from './credential.js';

export const KEYCHAIN_SERVICE = 'hoop-mcp';
const TIMEOUT_MS = 5_000;
/** No profile@gateway account looks like this, so the probe never reads a real credential. */
const PROBE_ACCOUNT = 'doctor-probe';

/**
 * Windows caps a credential blob at 2560 bytes and keyring-rs stores the password as UTF-16, so an
 * entry holds at most 1280 code units; 1200 leaves a margin below that hard edge.
 */
const CHUNK_UNITS = 1200;
/** About 19 KB, several times the longest OAuth credential seen; a header naming more is corrupt. */
const MAX_CHUNKS = 16;
/**
 * A long value's head entry holds only this header; its parts live in `account#<id>.<n>`, n = 1…count.
 * A fresh id per write means the old head keeps pointing at intact old parts until the new head lands.
 * Stored secrets are JSON credentials, which never start like this, so plain values read unchanged;
 * a head with this prefix in any other shape (or a later version's) is reported as malformed.
 */
const HEADER_PREFIX = 'hoop-mcp-chunks:';
const HEADER = /^hoop-mcp-chunks:v1:(\d{1,2}):([0-9a-f]{8})$/;

interface ChunkHeader {
  count: number;
  id: string;
}

/** `undefined`: a plain value. Throws on a header this version cannot follow. */
function parseHeader(account: string, value: string): ChunkHeader | undefined {
  if (!value.startsWith(HEADER_PREFIX)) return undefined;
  const match = HEADER.exec(value);
  const count = Number(match?.[1] ?? 0);
  const id = match?.[2];
  if (id === undefined || count < 2 || count > MAX_CHUNKS) {
    throw new KeychainUnavailableError(`the keychain entry for ${account} has a malformed chunk header; log in again to replace it`);
  }
  return { count, id };
}

function chunkAccount(account: string, header: ChunkHeader, n: number): string {
  return `${account}#${header.id}.${n}`;
}

/** Cuts at CHUNK_UNITS but never inside a surrogate pair: the native side would turn each half into U+FFFD. */
function split(value: string): string[] {
  const parts: string[] = [];
  for (let start = 0; start < value.length; ) {
    let end = Math.min(start + CHUNK_UNITS, value.length);
    const last = value.charCodeAt(end - 1);
    if (end < value.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(value.slice(start, end));
    start = end;
  }
  return parts;
}

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

export interface AsyncEntryLike {
  getPassword(signal?: AbortSignal): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  deleteCredential(signal?: AbortSignal): Promise<boolean>;
}
export type EntryConstructor = new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => AsyncEntryLike;

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

function advice(err: unknown, platform: NodeJS.Platform): string {
  const why = errorMessage(err);
  if (platform === 'linux' && /dbus|DBUS_SESSION_BUS_ADDRESS|secret service|org\.freedesktop/i.test(why)) {
    return `no Secret Service is reachable (${why}); start gnome-keyring or KeePassXC in your session, or set DBUS_SESSION_BUS_ADDRESS`;
  }
  if (platform === 'darwin' && /locked|interaction/i.test(why)) {
    return `the macOS keychain is locked (${why}); over SSH, run \`security unlock-keychain\` first`;
  }
  return `the OS keychain failed (${why})`;
}

/** Tests inject a fake keyring and platform; production loads @napi-rs/keyring for this OS. */
export interface KeychainStoreOptions {
  Entry?: EntryConstructor;
  platform?: NodeJS.Platform;
}

/**
 * The OS keychain through @napi-rs/keyring. On Linux the Secret Service is pinned: the kernel
 * keyring it would otherwise fall back to silently forgets everything at reboot.
 *
 * Only Windows splits a long value over several entries (its blob limit, above); macOS and the
 * Secret Service hold any length, so there every value stays one entry that older hoop-mcp
 * versions and tools like secret-tool read as before, and set/delete never read the old entry.
 * Reading follows a chunk header on every platform.
 */
export class KeychainStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private readonly platform: NodeJS.Platform;

  constructor(private readonly options: KeychainStoreOptions = {}) {
    this.platform = options.platform ?? process.platform;
  }

  private async entry(account: string): Promise<AsyncEntryLike> {
    const AsyncEntry = this.options.Entry ?? (await loadKeyring());
    try {
      // Constructing an entry throws when no backend is reachable.
      return new AsyncEntry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
    } catch (err) {
      throw new KeychainUnavailableError(advice(err, this.platform));
    }
  }

  private async read(account: string): Promise<string | null> {
    const entry = await this.entry(account);
    return this.guard((signal) => entry.getPassword(signal));
  }

  private async write(account: string, value: string): Promise<void> {
    const entry = await this.entry(account);
    await this.guard((signal) => entry.setPassword(value, signal));
  }

  private async remove(account: string): Promise<boolean> {
    const entry = await this.entry(account);
    return this.guard((signal) => entry.deleteCredential(signal));
  }

  /** Best effort: once the head no longer names them, leftover parts are unreachable. */
  private async removeChunks(account: string, header: ChunkHeader, count = header.count): Promise<void> {
    for (let n = 1; n <= count; n++) await this.remove(chunkAccount(account, header, n)).catch(() => false);
  }

  /** The old head's chunk header, so set and delete can remove its parts; only Windows writes them. */
  private async oldHeader(account: string): Promise<ChunkHeader | undefined> {
    if (this.platform !== 'win32') return undefined;
    const head = await this.read(account);
    try {
      return head === null ? undefined : parseHeader(account, head);
    } catch {
      return undefined; // a malformed head is simply overwritten or deleted
    }
  }

  async get(account: string): Promise<string | undefined> {
    const head = await this.read(account);
    if (head === null) return undefined;
    const header = parseHeader(account, head);
    if (header === undefined) return head;
    const parts: string[] = [];
    for (let n = 1; n <= header.count; n++) {
      const part = await this.read(chunkAccount(account, header, n));
      if (part === null) {
        throw new KeychainUnavailableError(`part ${n} of ${header.count} of the keychain entry for ${account} is missing; log in again to replace it`);
      }
      parts.push(part);
    }
    return parts.join('');
  }

  async set(account: string, secret: string): Promise<void> {
    const old = await this.oldHeader(account);
    if (this.platform !== 'win32' || secret.length <= CHUNK_UNITS) {
      await this.write(account, secret);
    } else {
      await this.writeChunked(account, secret, old);
    }
    if (old !== undefined) await this.removeChunks(account, old);
  }

  /** Parts first, head last: a reader sees the old value or the new one, never a head without its parts. */
  private async writeChunked(account: string, secret: string, old: ChunkHeader | undefined): Promise<void> {
    const parts = split(secret);
    if (parts.length > MAX_CHUNKS) {
      throw new KeychainUnavailableError(`the credential is too long for ${keychainBackend(this.platform)} (${secret.length} characters)`);
    }
    let id: string;
    do id = randomBytes(4).toString('hex');
    while (id === old?.id);
    const header: ChunkHeader = { count: parts.length, id };
    let written = 0;
    try {
      for (const part of parts) {
        await this.write(chunkAccount(account, header, written + 1), part);
        written += 1;
      }
      await this.write(account, `${HEADER_PREFIX}v1:${header.count}:${header.id}`);
    } catch (err) {
      await this.removeChunks(account, header, written);
      throw err;
    }
  }

  /** Head first, so no reader finds a head whose parts are gone. */
  async delete(account: string): Promise<boolean> {
    const old = await this.oldHeader(account);
    const removed = await this.remove(account);
    if (old !== undefined) await this.removeChunks(account, old);
    return removed;
  }

  /**
   * Resolves when the keychain answers; rejects with KeychainUnavailableError when not. Looking up
   * an entry that does not exist reaches the backend without prompting or leaving anything behind.
   */
  async probe(): Promise<void> {
    await this.read(PROBE_ACCOUNT);
  }

  /** A locked or absent keychain can hang a call forever; give up after a few seconds. */
  private async guard<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    try {
      return await run(signal);
    } catch (err) {
      if (signal.aborted) throw new KeychainUnavailableError(`the OS keychain did not answer within ${TIMEOUT_MS / 1000}s (is it locked?)`);
      throw new KeychainUnavailableError(advice(err, this.platform));
    }
  }
}
