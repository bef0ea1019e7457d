/**
 * What the login UI and the login flows exchange. The UI (src/tui) renders and calls these
 * callbacks; the flows (src/auth) do the network work. Neither imports the other.
 */

/** How the gateway authenticates people (`GET /api/publicserverinfo` → auth_method). */
export type AuthMethod = 'local' | 'oidc' | 'saml';

export interface GatewayDiscovery {
  /** Normalized base URL. */
  gateway: string;
  authMethod: AuthMethod;
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
}

/** The browser flow (OIDC/SAML through the gateway, back to the local callback). */
export interface BrowserLogin {
  /** The URL to open; shown too, for SSH sessions. */
  url: string;
  /** Whether hoop-mcp could open a browser itself. */
  opened: boolean;
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
