import { z } from 'zod';

import { GatewayError } from '../shared/errors.js';
import type { AuthMethod } from '../shared/login.js';
import { gatewayDetail, statusError } from './errors.js';
import type { FetchLike, FetchResponse } from './http.js';
import { send } from './request.js';

/** The routes a client calls before it has a token: hoop's login handshake. */

const PublicInfoSchema = z.looseObject({ auth_method: z.string().optional(), setup_required: z.boolean().optional() });
const LoginUrlSchema = z.looseObject({ login_url: z.string().url() });

function sendPublic(fetch: FetchLike, gateway: string, path: string, init: { method: string; body?: unknown; signal: AbortSignal }): Promise<FetchResponse> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'hoop-mcp' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const body = init.body !== undefined ? { body: JSON.stringify(init.body) } : {};
  return send(fetch, new URL(`${gateway}/api${path}`), { method: init.method, headers, signal: init.signal, ...body }, gateway);
}

async function json(res: FetchResponse, gateway: string, what: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('malformed', `${gateway} did not answer ${what} with JSON; is this the address of a Hoop gateway?`);
  }
}

/** `GET /api/publicserverinfo`: how this gateway authenticates people. */
export async function fetchAuthMethod(fetch: FetchLike, gateway: string, signal: AbortSignal): Promise<AuthMethod> {
  const res = await sendPublic(fetch, gateway, '/publicserverinfo', { method: 'GET', signal });
  if (res.status === 404) throw new GatewayError('http-error', `${gateway} does not look like a Hoop gateway (no /api/publicserverinfo); check the URL`, 404);
  if (res.status !== 200) throw statusError(res.status, gateway, gatewayDetail(await res.text(), res.headers.get('content-type') ?? undefined));
  const parsed = PublicInfoSchema.safeParse(await json(res, gateway, '/api/publicserverinfo'));
  if (!parsed.success) throw new GatewayError('malformed', `${gateway} answered /api/publicserverinfo with an unexpected shape`);
  const method = parsed.data.auth_method;
  // hoop's CLI treats anything but local and saml (oidc, the deprecated idp, nothing) as OIDC.
  return method === 'local' || method === 'saml' ? method : 'oidc';
}

/** `POST /api/localauth/login`: the token comes back in the `Token` header. */
export async function localLogin(fetch: FetchLike, gateway: string, email: string, password: string, signal: AbortSignal): Promise<string> {
  const res = await sendPublic(fetch, gateway, '/localauth/login', { method: 'POST', body: { email, password }, signal });
  const detail = res.status === 200 ? undefined : gatewayDetail(await res.text(), res.headers.get('content-type') ?? undefined);
  if (res.status === 401) throw new GatewayError('unauthorized', 'wrong email or password', 401);
  if (res.status === 404) throw new GatewayError('unauthorized', `no user with the email ${email} on this gateway`, 404);
  if (res.status !== 200) throw statusError(res.status, gateway, detail);
  const token = res.headers.get('token');
  await res.body?.cancel().catch(() => undefined);
  if (token === null || token === '') throw new GatewayError('malformed', `${gateway} accepted the password but sent no token`);
  return token;
}

/** `GET /api/login` (OIDC) or `/api/saml/login`: the identity provider's URL for the browser. */
export async function fetchLoginUrl(fetch: FetchLike, gateway: string, method: 'oidc' | 'saml', signal: AbortSignal): Promise<string> {
  const res = await sendPublic(fetch, gateway, method === 'saml' ? '/saml/login' : '/login', { method: 'GET', signal });
  if (res.status !== 200) throw statusError(res.status, gateway, gatewayDetail(await res.text(), res.headers.get('content-type') ?? undefined));
  const parsed = LoginUrlSchema.safeParse(await json(res, gateway, 'the login request'));
  if (!parsed.success) throw new GatewayError('malformed', `${gateway} did not send a login URL`);
  return parsed.data.login_url;
}
