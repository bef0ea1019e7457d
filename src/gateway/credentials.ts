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
  private readonly listeners: Array<(token: string) => void> = [];

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

  rotate(next: string): void {
    if (next === '' || next === this.token) return;
    this.redactor.add(next);
    this.token = next;
    for (const listener of this.listeners) listener(next);
  }

  onRotate(listener: (token: string) => void): void {
    this.listeners.push(listener);
  }
}
