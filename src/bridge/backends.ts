import type { Logger } from '../shared/log.js';
import type { Credentials } from '../gateway/credentials.js';
import type { DispatcherOptions, FetchLike } from '../gateway/http.js';
import type { GatewayUrl } from '../gateway/url.js';
import { GatewayError } from '../shared/errors.js';
import { userClient } from '../shared/version.js';
import { ApprovalNoticeBackend } from './approval-notice.js';
import type { Backend, BackendChoice, BackendFactory, ClientChannel, ClientHello } from './backend.js';
import type { AuditSink } from './audit-backend.js';
import { CatalogCache } from './catalog-cache.js';
import type { Policy } from './policy.js';

export interface BackendSettings {
  gateway: GatewayUrl | undefined;
  backend: BackendChoice;
  credentials: Credentials;
  /** Resolves once the token has been read from the environment or the store. */
  credentialsReady: Promise<void>;
  /** Extra CA and the insecure switch, for the one dispatcher. */
  tls: Pick<DispatcherOptions, 'ca' | 'insecure'>;
  timeoutMs: number;
  home: string;
  logger: Logger;
  bridgeVersion: string;
  userAgent: string;
}

/**
 * Builds the backend once the client has said hello. Backends and the HTTP stack are imported
 * here, lazily, so answering `initialize` never waits for them.
 */
export function backendFactory(s: BackendSettings): BackendFactory {
  const build: BackendFactory = async (hello, client) => {
    const gateway = s.gateway;
    if (gateway === undefined) {
      throw new GatewayError('not-configured', 'no Hoop gateway configured: pass --gateway <url> or set HOOP_APIURL, then restart the MCP server');
    }
    const [{ createDispatcher, createFetch }] = await Promise.all([import('../gateway/http.js'), s.credentialsReady]);
    const fetch = createFetch(createDispatcher(s.tls));
    if (s.backend === 'rest') {
      s.logger.info(`serving hoop's v1 tools over the REST API of ${gateway.base} (--backend rest)`);
      return restBackend(s, gateway, fetch, hello);
    }
    const relay = await relayBackend(s, gateway, fetch, hello, client, s.backend === 'auto');
    if (s.backend === 'mcp') return relay;
    const { AutoBackend } = await import('./auto-backend.js');
    return new AutoBackend({ primary: relay, fallback: () => restBackend(s, gateway, fetch, hello), client, logger: s.logger, gateway: gateway.base });
  };
  // A call held for review is announced to the human, whichever backend answered it.
  return async (hello, client) => new ApprovalNoticeBackend(await build(hello, client), client, s.logger);
}

async function relayBackend(s: BackendSettings, gateway: GatewayUrl, fetch: FetchLike, hello: ClientHello, client: ClientChannel, auto: boolean): Promise<Backend> {
  const { RelayBackend } = await import('./relay/relay-backend.js');
  const relay = new RelayBackend({
    gateway,
    credentials: s.credentials,
    fetch,
    userAgent: s.userAgent,
    bridgeVersion: s.bridgeVersion,
    timeoutMs: s.timeoutMs,
    logger: s.logger,
    cache: new CatalogCache(s.home, gateway.base),
    hello,
    client,
    // auto falls back to REST on this one, so it must reach the wrapper rather than the client
    ...(auto ? { passThrough: ['mcp-unavailable'] as const } : {}),
  });
  relay.warmUp();
  return relay;
}

async function restBackend(s: BackendSettings, gateway: GatewayUrl, fetch: FetchLike, hello: ClientHello): Promise<Backend> {
  const [{ RestBackend }, { RestClient }] = await Promise.all([import('./rest/rest-backend.js'), import('../gateway/rest.js')]);
  // the relay names the client in `initialize`; over REST only this header can
  const rest = new RestClient({ base: gateway.base, gateway: gateway.base, fetch, credentials: s.credentials, userAgent: s.userAgent, userClient: userClient(hello.clientInfo), logger: s.logger });
  return new RestBackend({ rest, logger: s.logger, timeoutMs: s.timeoutMs });
}

/** The local controls around any backend: exposure policy and pins (policy-backend), then the audit trail outside them. */
export interface Governance {
  policy: Policy;
  /** --pin-tools: hide tools whose definition changed until `hoop-mcp tools accept`. */
  pinTools: boolean;
  profile: string;
  /** The gateway base URL: pins and audit lines are kept per gateway. */
  gateway: string;
  /** Where the policy settings live, for the "hidden by local policy" message. */
  howToChange: string;
  audit: AuditSink;
  home: string;
  logger: Logger;
}

/** Wraps a factory's backends in the governance decorators, loaded lazily like the backends. */
export function governed(factory: BackendFactory, g: Governance): BackendFactory {
  return async (hello, client) => {
    const inner = await factory(hello, client);
    const [{ PolicyBackend }, { AuditBackend }, { PinStore }] = await Promise.all([import('./policy-backend.js'), import('./audit-backend.js'), import('./pins.js')]);
    const policed = new PolicyBackend({ inner, policy: g.policy, pins: { store: new PinStore(g.home, g.gateway), enforce: g.pinTools }, howToChange: g.howToChange, logger: g.logger });
    return new AuditBackend({ inner: policed, sink: g.audit, profile: g.profile, gateway: g.gateway, client: hello.clientInfo.name, logger: g.logger });
  };
}
