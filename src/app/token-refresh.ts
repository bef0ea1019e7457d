import { accountFor, type StoredCredential } from '../auth/credential.js';
import { withLock } from '../auth/lock.js';
import type { CredentialVault } from '../auth/vault.js';
import type { FreshToken, ReloadReason } from '../gateway/credentials.js';
import type { FetchLike } from '../gateway/http.js';
import { OAuthGrantError, requestToken } from '../gateway/oauth.js';
import { errorMessage } from '../shared/errors.js';
import { credentialLockPath, resolveToken, type Target } from './settings.js';

export interface ReloaderDeps {
  target: Target;
  vault: CredentialVault;
  env: NodeJS.ProcessEnv;
  /** Loaded on first use: the serve path starts without the HTTP stack. */
  fetch: () => Promise<FetchLike>;
  /** Registers secrets (refresh tokens) with the redactor. */
  secret(value: string): void;
  warn(message: string): void;
}

/** An OAuth credential can be refreshed without a browser. */
export function isOAuth(c: StoredCredential | undefined): c is StoredCredential & Required<Pick<StoredCredential, 'refreshToken' | 'tokenEndpoint' | 'clientId' | 'resource'>> {
  return c?.refreshToken !== undefined && c.tokenEndpoint !== undefined && c.clientId !== undefined && c.resource !== undefined;
}

export function freshOf(c: StoredCredential): FreshToken {
  return { token: c.token, ...(c.expiresAt !== undefined ? { expiresAt: new Date(c.expiresAt), issuedAt: new Date(c.savedAt) } : {}) };
}

/**
 * What Credentials asks when its token is missing, about to expire or refused: the store first
 * (another instance may have refreshed already, or the user logged in again), then, for an OAuth
 * login, one refresh grant. The grant runs under the profile's lock with the store read again
 * inside it, so with rotating refresh tokens only one instance ever spends a given refresh token.
 */
export function storedTokenReloader(d: ReloaderDeps): (reason: ReloadReason, stale: string | undefined) => Promise<FreshToken | undefined> {
  /** A refresh token the IdP refused: not tried again until a login stores another. */
  let dead: string | undefined;
  return async (reason, stale) => {
    const gateway = d.target.gateway;
    const found = await resolveToken(d.target, d.vault, d.env);
    if (found === undefined || gateway === undefined) return undefined;
    if (found.token !== stale || reason === 'missing' || !isOAuth(found.credential)) return found.credential ? freshOf(found.credential) : { token: found.token };
    if (found.credential.refreshToken === dead) return undefined;
    return withLock(credentialLockPath(d.target), async () => {
      const again = await resolveToken(d.target, d.vault, d.env);
      const c = again?.credential;
      if (again === undefined || c === undefined || again.origin === 'env') return undefined;
      if (c.token !== stale || !isOAuth(c)) return freshOf(c);
      d.secret(c.refreshToken);
      try {
        const client = { clientId: c.clientId, ...(c.clientSecret !== undefined ? { clientSecret: c.clientSecret } : {}) };
        const grant = { grant_type: 'refresh_token', refresh_token: c.refreshToken } as const;
        const tokens = await requestToken(await d.fetch(), c.tokenEndpoint, client, c.resource, grant, AbortSignal.timeout(8_000));
        d.secret(tokens.accessToken);
        if (tokens.refreshToken !== undefined) d.secret(tokens.refreshToken);
        const next: StoredCredential = {
          ...c,
          token: tokens.accessToken,
          refreshToken: tokens.refreshToken ?? c.refreshToken,
          // no expiry in the answer: the old one no longer applies
          expiresAt: tokens.expiresAt?.toISOString(),
          source: 'refreshed',
          savedAt: new Date().toISOString(),
        };
        await d.vault.save(accountFor(d.target.profile, gateway.base), next, again.origin);
        return freshOf(next);
      } catch (err) {
        if (err instanceof OAuthGrantError) dead = c.refreshToken;
        d.warn(`could not renew the OAuth login: ${errorMessage(err)}`);
        return undefined;
      }
    });
  };
}
