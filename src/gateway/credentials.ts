import type { Redactor } from '../shared/redact.js';

/** Where the active token came from. */
export type TokenOrigin = 'env' | 'keychain' | 'file' | 'none';

/** A token from the store, with its absolute expiry when it has one (MCP OAuth). */
export interface FreshToken {
  token: string;
  expiresAt?: Date;
  /** When it was issued: the refresh margin is a fraction of the lifetime, capped at a minute. */
  issuedAt?: Date;
}

/** Why the store is asked again: the token runs out soon, or the gateway refused it. */
export type ReloadReason = 'missing' | 'expiring' | 'rejected';

const REFRESH_MARGIN_MS = 60_000;

/**
 * The token the bridge sends, shared by every request of one process. It is filled in once the
 * store has been read (after `initialize`, so start-up never waits for the keychain). The gateway
 * may rotate it (`X-New-Access-Token`); from then on the new one is used and hidden like the old.
 */
export class Credentials {
  private token: string | undefined;
  private tokenOrigin: TokenOrigin = 'none';
  private readonly rotateListeners: Array<(token: string) => void> = [];
  private readonly changeListeners: Array<() => void> = [];
  private reloader: ((reason: ReloadReason, stale: string | undefined) => Promise<FreshToken | undefined>) | undefined;
  private refreshAt: number | undefined;
  private reloading: Promise<boolean> | undefined;

  constructor(private readonly redactor: Redactor) {}

  use(token: string, origin: TokenOrigin, expiry?: Omit<FreshToken, 'token'>): void {
    if (token === '') return;
    this.redactor.add(token);
    this.token = token;
    this.tokenOrigin = origin;
    this.schedule(expiry);
  }

  current(): string | undefined {
    return this.token;
  }

  get origin(): TokenOrigin {
    return this.tokenOrigin;
  }

  /** The gateway sent a new token (`X-New-Access-Token`): use it, and let the store keep it. */
  rotate(next: string): void {
    if (!this.replace({ token: next })) return;
    for (const listener of this.rotateListeners) listener(next);
  }

  /** Called with a rotated token, to write it back where it came from. */
  onRotate(listener: (token: string) => void): void {
    this.rotateListeners.push(listener);
  }

  /** Called whenever the token changes (rotation or reload): sessions bound to the old one must go. */
  onChange(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  /**
   * Where to look again after a 401 or before the token expires: another instance may have stored
   * a newer token (or the user logged in again), or an OAuth refresh may get one.
   */
  setReloader(reload: (reason: ReloadReason, stale: string | undefined) => Promise<FreshToken | undefined>): void {
    this.reloader = reload;
  }

  /** Renews a token that expires within the margin; a failed renewal leaves the current one in use. */
  async freshen(): Promise<void> {
    if (this.token === undefined) await this.reload('missing');
    else if (this.refreshAt !== undefined && Date.now() >= this.refreshAt) await this.reload('expiring');
  }

  /** True when the store (or a refresh) gave a different token, which is now in use. One at a time per process. */
  reload(reason: ReloadReason = 'rejected'): Promise<boolean> {
    this.reloading ??= (async () => {
      try {
        const next = await this.reloader?.(reason, this.token).catch(() => undefined);
        return next !== undefined && this.replace(next);
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  private schedule(expiry: Omit<FreshToken, 'token'> | undefined): void {
    const exp = expiry?.expiresAt?.getTime();
    if (exp === undefined || Number.isNaN(exp)) {
      this.refreshAt = undefined;
      return;
    }
    const lifetime = exp - (expiry?.issuedAt?.getTime() ?? exp - 4 * REFRESH_MARGIN_MS);
    this.refreshAt = exp - Math.min(REFRESH_MARGIN_MS, Math.max(0, lifetime) / 4);
  }

  private replace(next: FreshToken): boolean {
    if (next.token === '' || next.token === this.token) return false;
    this.redactor.add(next.token);
    this.token = next.token;
    this.schedule(next);
    for (const listener of this.changeListeners) listener();
    return true;
  }
}
