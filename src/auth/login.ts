import { z } from 'zod';

import { Credentials } from '../gateway/credentials.js';
import type { FetchLike } from '../gateway/http.js';
import { fetchAuthMethod, fetchLoginUrl, localLogin } from '../gateway/public.js';
import { RestClient } from '../gateway/rest.js';
import { parseGatewayUrl } from '../gateway/url.js';
import type { Logger } from '../shared/log.js';
import type { GatewayDiscovery, LoginActions, LoginIdentity, LoginResult } from '../shared/login.js';
import { Redactor } from '../shared/redact.js';
import { listenForCallback, openBrowser } from './browser-login.js';
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
  /** Records the profile's gateway and store in config.json (non-secret). */
  rememberProfile(profile: string, gateway: string, store: 'keychain' | 'file'): Promise<void>;
}

const UserInfoSchema = z.looseObject({
  email: z.string(),
  name: z.string().optional(),
  groups: z.array(z.string()).nullable().optional(),
});
const ServerInfoSchema = z.looseObject({ version: z.string().optional() });

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
    const info = UserInfoSchema.safeParse((await rest.request('GET', '/userinfo', { signal: signal() })).data);
    if (!info.success) throw new Error(`${gateway} answered /api/userinfo with an unexpected shape`);
    const version = await rest
      .request('GET', '/serverinfo', { signal: signal(10_000) })
      .then((r) => ServerInfoSchema.safeParse(r.data).data?.version)
      .catch(() => undefined);
    const user: LoginIdentity = { email: info.data.email, groups: info.data.groups ?? [], ...(info.data.name !== undefined ? { name: info.data.name } : {}) };
    // The gateway may have rotated the token while we asked: keep the newest.
    const current = credentials.current() ?? token;
    const record: StoredCredential = { version: 1, gateway, token: current, source, savedAt: new Date().toISOString(), user: { email: user.email, ...(user.name ? { name: user.name } : {}) } };
    const saved = await deps.vault.save(accountFor(deps.profile, gateway), record, deps.storeChoice);
    await deps.rememberProfile(deps.profile, gateway, saved.store);
    return {
      gateway,
      profile: deps.profile,
      user,
      ...(version !== undefined ? { gatewayVersion: version } : {}),
      store: saved.store,
      ...(saved.fallbackReason !== undefined ? { fallbackReason: saved.fallbackReason } : {}),
    };
  }

  return {
    finish,
    async discover(gatewayRaw): Promise<GatewayDiscovery> {
      const gateway = base(gatewayRaw);
      return { gateway, authMethod: await fetchAuthMethod(deps.fetch, gateway, signal()) };
    },
    async loginLocal(gateway, email, password) {
      return finish(gateway, await localLogin(deps.fetch, base(gateway), email, password, signal()), 'login');
    },
    async loginApiKey(gateway, key) {
      const trimmed = key.trim();
      if (!trimmed.startsWith('hpk_')) throw new Error('a Hoop API key starts with hpk_');
      return finish(gateway, trimmed, 'api-key-stdin');
    },
    async startBrowserLogin(discovery) {
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
      const opened = deps.openBrowser && openBrowser(url);
      const result = callback.token.then((token) => finish(discovery.gateway, token, 'login'));
      // The UI may only start listening after a failure has landed; it still gets it on await.
      result.catch(() => undefined);
      return { url, opened, result, cancel: () => callback.close() };
    },
  };
}
