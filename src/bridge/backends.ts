import type { Logger } from '../shared/log.js';
import type { Credentials } from '../gateway/credentials.js';
import type { GatewayUrl } from '../gateway/url.js';
import { GatewayError } from '../shared/errors.js';
import type { BackendChoice, BackendFactory } from './backend.js';
import { CatalogCache } from './catalog-cache.js';

export interface BackendSettings {
  gateway: GatewayUrl | undefined;
  backend: BackendChoice;
  credentials: Credentials;
  /** Resolves once the token has been read from the environment or the store. */
  credentialsReady: Promise<void>;
  timeoutMs: number;
  home: string;
  logger: Logger;
  bridgeVersion: string;
  userAgent: string;
}

/**
 * Builds the backend once the client has said hello. The relay and its HTTP stack are imported
 * here, lazily, so answering `initialize` never waits for them.
 */
export function backendFactory(s: BackendSettings): BackendFactory {
  return async (hello, client) => {
    if (s.gateway === undefined) {
      throw new GatewayError('not-configured', 'no Hoop gateway configured: pass --gateway <url> or set HOOP_APIURL, then restart the MCP server');
    }
    const [{ RelayBackend }, { createFetch }] = await Promise.all([import('./relay/relay-backend.js'), import('../gateway/http.js'), s.credentialsReady]);
    const relay = new RelayBackend({
      gateway: s.gateway,
      credentials: s.credentials,
      fetch: createFetch(),
      userAgent: s.userAgent,
      bridgeVersion: s.bridgeVersion,
      timeoutMs: s.timeoutMs,
      logger: s.logger,
      cache: new CatalogCache(s.home, s.gateway.base),
      hello,
      client,
    });
    relay.warmUp();
    return relay;
  };
}
