import type { Redactor } from '../shared/redact.js';

/** Where the active token came from; the keychain store adds its own origins. */
export type TokenOrigin = 'env' | 'none';

/**
 * The token the bridge sends, shared by every request of one process. The gateway may rotate it
 * (`X-New-Access-Token`); from then on the new one is used and hidden like the old one.
 */
export class Credentials {
  private token: string | undefined;
  private readonly listeners: Array<(token: string) => void> = [];

  constructor(
    token: string | undefined,
    readonly origin: TokenOrigin,
    private readonly redactor: Redactor,
  ) {
    this.token = token === '' ? undefined : token;
    redactor.add(this.token);
  }

  current(): string | undefined {
    return this.token;
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
