import type { Redactor } from '../shared/redact.js';

/** Where the active token came from. */
export type TokenOrigin = 'env' | 'keychain' | 'file' | 'none';

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
  private reloader: (() => Promise<string | undefined>) | undefined;

  constructor(private readonly redactor: Redactor) {}

  use(token: string, origin: TokenOrigin): void {
    if (token === '') return;
    this.redactor.add(token);
    this.token = token;
    this.tokenOrigin = origin;
  }

  current(): string | undefined {
    return this.token;
  }

  get origin(): TokenOrigin {
    return this.tokenOrigin;
  }

  /** The gateway sent a new token (`X-New-Access-Token`): use it, and let the store keep it. */
  rotate(next: string): void {
    if (!this.replace(next)) return;
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

  /** Where to look again after a 401: another instance may have stored a newer token (or the user logged in again). */
  setReloader(reload: () => Promise<string | undefined>): void {
    this.reloader = reload;
  }

  /** True when the store held a different token, which is now in use. */
  async reload(): Promise<boolean> {
    const next = await this.reloader?.().catch(() => undefined);
    return next !== undefined && this.replace(next);
  }

  private replace(next: string): boolean {
    if (next === '' || next === this.token) return false;
    this.redactor.add(next);
    this.token = next;
    for (const listener of this.changeListeners) listener();
    return true;
  }
}
