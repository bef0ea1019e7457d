/**
 * What the login UI and the login flows exchange. The UI (src/tui) renders and calls these
 * callbacks; the flows (src/auth) do the network work. Neither imports the other.
 */

/** How the gateway authenticates people (`GET /api/publicserverinfo` → auth_method). */
export type AuthMethod = 'local' | 'oidc' | 'saml';

/** The gateway runs MCP OAuth (`hoop admin mcp auth enable`): where to get an IdP token for /api/mcp. */
export interface OAuthServer {
  /** The resource URI the gateway names (its /api/mcp), sent as RFC 8707 `resource`. */
  resource: string;
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  registrationEndpoint?: string;
}

export interface GatewayDiscovery {
  /** Normalized base URL. */
  gateway: string;
  authMethod: AuthMethod;
  /** Set when the gateway offers MCP OAuth; the browser login then uses it. */
  oauth?: OAuthServer;
}

export interface LoginIdentity {
  email: string;
  name?: string;
  groups: string[];
}

export interface LoginResult {
  gateway: string;
  profile: string;
  user: LoginIdentity;
  gatewayVersion?: string;
  /** Where the credential went. */
  store: 'keychain' | 'file';
  /** Set when the keychain could not be used: why, to show as a warning. */
  fallbackReason?: string;
  /** MCP OAuth logins: when the access token runs out (serve refreshes it), ISO. */
  expiresAt?: string;
}

/** The browser flow (OIDC/SAML through the gateway, back to the local callback). */
export interface BrowserLogin {
  /** The URL to open; shown too, for SSH sessions. */
  url: string;
  /** Whether hoop-mcp could open a browser itself. */
  opened: boolean;
  /** Where the browser comes back to (hoop's own login: always 127.0.0.1:3587). */
  callbackUrl?: string;
  /** Resolves when the gateway redirects back with a token (or rejects: timeout, error, abort). */
  result: Promise<LoginResult>;
  cancel(): void;
}

/** Everything the login UI may ask for. Each rejects with an Error whose message is shown as is. */
export interface LoginActions {
  discover(gateway: string): Promise<GatewayDiscovery>;
  loginLocal(gateway: string, email: string, password: string): Promise<LoginResult>;
  startBrowserLogin(discovery: GatewayDiscovery): Promise<BrowserLogin>;
  loginApiKey(gateway: string, key: string): Promise<LoginResult>;
}
