
import { Credentials } from '../gateway/credentials.js';
import type { FetchLike } from '../gateway/http.js';
import { authorizationUrl, checkMcpToken, createPkce, discoverMcpOAuth, registerClient, requestToken, type OAuthClient } from '../gateway/oauth.js';
import { fetchAuthMethod, fetchLoginUrl, localLogin } from '../gateway/public.js';
import { RestClient } from '../gateway/rest.js';
import { fetchGatewayVersion, fetchIdentity } from '../gateway/identity.js';
import { parseGatewayUrl } from '../gateway/url.js';
import { errorMessage, UsageError } from '../shared/errors.js';
import { jwtClaims } from '../shared/jwt.js';
import type { Logger } from '../shared/log.js';
import type { BrowserLogin, GatewayDiscovery, LoginActions, LoginIdentity, LoginResult, OAuthServer } from '../shared/login.js';
import { Redactor } from '../shared/redact.js';
import { listenForCallback, openBrowser, type CallbackReader } from './browser-login.js';
import { accountFor, type StoredCredential } from './credential.js';
import type { CredentialVault, StoreChoice } from './vault.js';

export interface LoginDeps {
  profile: string;
  fetch: FetchLike;
  vault: CredentialVault;
  storeChoice: StoreChoice;
  logger: Logger;
  userAgent: string;
  allowHttp: boolean;
  /** false with --no-browser: only show the URL. */
  openBrowser: boolean;
  callbackPort: number;
  /** MCP OAuth: the loopback port (--callback-port; unset: the OS picks one) and a static client id instead of registration. */
  oauthCallbackPort?: number;
  oauthClientId?: string;
  /** Records the profile's gateway and store in config.json (non-secret). */
  rememberProfile(profile: string, gateway: string, store: 'keychain' | 'file'): Promise<void>;
}

export interface LoginService extends LoginActions {
  /** Validates a token obtained any way (stdin, import), stores it, remembers the profile. */
  finish(gateway: string, token: string, source: StoredCredential['source']): Promise<LoginResult>;
}

/** hoop's login flows as plain async functions; the TUI and the plain-text command both drive them. */
export function createLoginService(deps: LoginDeps): LoginService {
  const signal = (ms = 30_000): AbortSignal => AbortSignal.timeout(ms);
  const base = (raw: string): string => parseGatewayUrl(raw, { allowHttp: deps.allowHttp }).base;

  async function finish(gatewayRaw: string, token: string, source: StoredCredential['source']): Promise<LoginResult> {
    const gateway = base(gatewayRaw);
    const redactor = new Redactor();
    const credentials = new Credentials(redactor);
    credentials.use(token, 'env');
    const rest = new RestClient({ base: gateway, gateway, fetch: deps.fetch, credentials, userAgent: deps.userAgent, logger: deps.logger });
    const user = await fetchIdentity(rest, signal());
    const version = await fetchGatewayVersion(rest, signal(10_000));
    // The gateway may have rotated the token while we asked: keep the newest.
    const current = credentials.current() ?? token;
    return store({ version: 1, gateway, token: current, source, savedAt: new Date().toISOString() }, user, version);
  }

  async function store(record: StoredCredential, user: LoginIdentity, version: string | undefined): Promise<LoginResult> {
    const { gateway } = record;
    const full: StoredCredential = { ...record, user: { email: user.email, ...(user.name ? { name: user.name } : {}) } };
    const saved = await deps.vault.save(accountFor(deps.profile, gateway), full, deps.storeChoice);
    await deps.rememberProfile(deps.profile, gateway, saved.store);
    return {
      gateway,
      profile: deps.profile,
      user,
      ...(version !== undefined ? { gatewayVersion: version } : {}),
      store: saved.store,
      ...(saved.fallbackReason !== undefined ? { fallbackReason: saved.fallbackReason } : {}),
      ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
    };
  }

  /**
   * MCP OAuth: authorization code + PKCE (S256) with the resource indicator, the client from the
   * gateway's registration shim (or --client-id), the browser back on a loopback port. The token
   * is checked where the gateway accepts it (/api/mcp) and stored with its refresh token.
   */
  async function startOAuthLogin(gateway: string, server: OAuthServer): Promise<BrowserLogin> {
    const pkce = createPkce();
    const callback = await listenForCallback(deps.oauthCallbackPort ?? 0, {
      read: readCode(pkce.state),
      busyHint: 'another program listens there; stop it, or pass another --callback-port (one your identity provider accepts as redirect URI)',
    });
    const redirectUri = `http://127.0.0.1:${callback.port}/callback`;
    let client: OAuthClient;
    try {
      client = deps.oauthClientId !== undefined ? { clientId: deps.oauthClientId } : await registerClient(deps.fetch, server, redirectUri, signal());
    } catch (err) {
      callback.close();
      throw err;
    }
    const url = authorizationUrl(server, client, redirectUri, pkce);
    const opened = deps.openBrowser && (await openBrowser(url));
    const result = callback.token.then(async (code) => {
      const grant = { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: pkce.verifier } as const;
      const tokens = await requestToken(deps.fetch, server.tokenEndpoint, client, server.resource, grant, signal());
      await checkMcpToken(deps.fetch, parseGatewayUrl(gateway, { allowHttp: deps.allowHttp }), tokens.accessToken, signal());
      const record: StoredCredential = {
        version: 1,
        gateway,
        token: tokens.accessToken,
        source: 'oauth',
        savedAt: new Date().toISOString(),
        ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt.toISOString() } : {}),
        tokenEndpoint: server.tokenEndpoint,
        clientId: client.clientId,
        ...(client.clientSecret !== undefined ? { clientSecret: client.clientSecret } : {}),
        resource: server.resource,
      };
      return store(record, identityOf(tokens.accessToken), undefined);
    });
    result.catch(() => undefined);
    return { url, opened, result, callbackUrl: redirectUri, cancel: () => callback.close() };
  }

  return {
    finish,
    async discover(gatewayRaw): Promise<GatewayDiscovery> {
      const url = parseGatewayUrl(gatewayRaw, { allowHttp: deps.allowHttp });
      const [authMethod, oauth] = await Promise.all([
        fetchAuthMethod(deps.fetch, url.base, signal()),
        // a gateway without MCP OAuth (or with it misconfigured) still has hoop's own login
        discoverMcpOAuth(deps.fetch, url, signal()).catch((err: unknown) => {
          deps.logger.warn(`MCP OAuth discovery failed: ${errorMessage(err)}`);
          return undefined;
        }),
      ]);
      return { gateway: url.base, authMethod, ...(oauth !== undefined ? { oauth } : {}) };
    },
    async loginLocal(gateway, email, password) {
      return finish(gateway, await localLogin(deps.fetch, base(gateway), email, password, signal()), 'login');
    },
    async loginApiKey(gateway, key) {
      const trimmed = key.trim();
      // the caller's mistake, not the gateway's: `login --api-key-stdin` exits 2 with this line
      if (!trimmed.startsWith('hpk_')) throw new UsageError('a Hoop API key starts with hpk_ (for a session token use --token-stdin)');
      return finish(gateway, trimmed, 'api-key-stdin');
    },
    async startBrowserLogin(discovery) {
      if (discovery.oauth !== undefined) return startOAuthLogin(discovery.gateway, discovery.oauth);
      if (discovery.authMethod === 'local') throw new Error('this gateway signs people in with email and password, not a browser');
      // Listen first: a busy port is reported before anyone signs in for nothing.
      const callback = await listenForCallback(deps.callbackPort);
      let url: string;
      try {
        url = await fetchLoginUrl(deps.fetch, discovery.gateway, discovery.authMethod, signal());
      } catch (err) {
        callback.close();
        throw err;
      }
      const opened = deps.openBrowser && (await openBrowser(url));
      const result = callback.token.then((token) => finish(discovery.gateway, token, 'login'));
      // The UI may only start listening after a failure has landed; it still gets it on await.
      result.catch(() => undefined);
      return { url, opened, result, cancel: () => callback.close() };
    },
  };
}

/** The code from `/callback?code=…&state=…`; a wrong state is someone else's redirect. */
function readCode(state: string): CallbackReader {
  return (params) => {
    const error = params.get('error');
    if (error !== null) return { error: `${error}${params.get('error_description') ? `: ${params.get('error_description')}` : ''}` };
    if (params.get('state') !== state) return { error: 'the state does not match this login' };
    const code = params.get('code');
    return code !== null && code !== '' ? { value: code } : { error: 'no code' };
  };
}

/** Who the IdP token names; REST's /api/userinfo may not accept an MCP-bound token, so the claims say. */
function identityOf(token: string): LoginIdentity {
  const claims = jwtClaims(token) ?? {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [];
  const name = text(claims.name);
  return { email: text(claims.email) ?? text(claims.sub) ?? 'unknown', groups, ...(name !== undefined ? { name } : {}) };
}
