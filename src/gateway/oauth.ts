import { createHash, randomBytes } from 'node:crypto';

import { z } from 'zod';

import { GatewayError } from '../shared/errors.js';
import type { OAuthServer } from '../shared/login.js';
import { LOGIN_HINT } from './errors.js';
import type { FetchLike, FetchResponse } from './http.js';
import { send } from './request.js';
import type { GatewayUrl } from './url.js';
import { LATEST_PROTOCOL_VERSION } from '../shared/mcp.js';
import { VERSION } from '../shared/version.js';

/**
 * MCP OAuth 2.1 as a hoop gateway offers it when `hoop admin mcp auth enable` is on: protected-
 * resource metadata (RFC 9728), the authorization server's metadata (RFC 8414, possibly the
 * gateway's mirror), dynamic registration (RFC 7591, possibly the gateway's shim), and the token
 * endpoint's code and refresh grants with the resource indicator (RFC 8707).
 */

const ProtectedResourceSchema = z.looseObject({ resource: z.string().min(1), authorization_servers: z.array(z.url()).min(1) });
const AuthServerSchema = z.looseObject({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  registration_endpoint: z.url().optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});
const RegistrationSchema = z.looseObject({ client_id: z.string().min(1), client_secret: z.string().min(1).optional() });
const TokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
});
const TokenErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });


export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Absolute, from expires_in (undefined when the server did not say). */
  expiresAt?: Date;
}

/** The token endpoint refused a grant: the refresh token is revoked or expired, or the code is bad. */
export class OAuthGrantError extends GatewayError {
  constructor(
    readonly error: string,
    description: string | undefined,
  ) {
    super('unauthorized', `the identity provider refused to renew the login (${error}${description ? `: ${description}` : ''}); ${LOGIN_HINT}`);
  }
}

function sendJson(fetch: FetchLike, url: URL, init: { method: string; headers?: Record<string, string>; body?: string; signal: AbortSignal }): Promise<FetchResponse> {
  const headers = { accept: 'application/json', 'user-agent': 'hoop-mcp', ...init.headers };
  return send(fetch, url, { method: init.method, headers, signal: init.signal, ...(init.body !== undefined ? { body: init.body } : {}) }, url.origin);
}

async function jsonOf(res: FetchResponse): Promise<unknown> {
  try {
    return JSON.parse(await res.text());
  } catch {
    return undefined;
  }
}

/** `resource_metadata="…"` from a `WWW-Authenticate: Bearer …` challenge. */
export function resourceMetadataUrl(challenge: string | null): string | undefined {
  if (challenge === null || !/^\s*bearer\b/i.test(challenge)) return undefined;
  return /\bresource_metadata="([^"]+)"/i.exec(challenge)?.[1];
}

/** RFC 8414 / OIDC well-known addresses for an issuer, path-aware (issuer `https://h/p` → `https://h/.well-known/…/p`). */
function wellKnown(issuer: string): URL[] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  return [
    new URL(`${url.origin}/.well-known/oauth-authorization-server${path}`),
    new URL(`${url.origin}/.well-known/openid-configuration${path}`),
    new URL(`${url.origin}${path}/.well-known/openid-configuration`),
  ];
}

/**
 * Finds out whether the gateway runs MCP OAuth: the challenge of an unauthenticated /api/mcp
 * request names the metadata; without one, the RFC 9728 address is tried. Undefined when the
 * gateway does not offer OAuth (hoop tokens and `hpk_` keys only).
 */
export async function discoverMcpOAuth(fetch: FetchLike, gateway: GatewayUrl, signal: AbortSignal): Promise<OAuthServer | undefined> {
  const probe = await sendJson(fetch, gateway.mcpEndpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"ping"}', signal });
  await probe.body?.cancel().catch(() => undefined);
  const endpoint = gateway.mcpEndpoint;
  const metadata = resourceMetadataUrl(probe.headers.get('www-authenticate')) ?? `${endpoint.origin}/.well-known/oauth-protected-resource${endpoint.pathname}`;
  const res = await sendJson(fetch, new URL(metadata), { method: 'GET', signal });
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => undefined);
    return undefined;
  }
  const resource = ProtectedResourceSchema.safeParse(await jsonOf(res));
  if (!resource.success) throw new GatewayError('malformed', `${metadata} is not OAuth protected-resource metadata`);
  const issuer = resource.data.authorization_servers[0] ?? '';
  for (const url of wellKnown(issuer)) {
    const as = await sendJson(fetch, url, { method: 'GET', signal });
    if (as.status !== 200) {
      await as.body?.cancel().catch(() => undefined);
      continue;
    }
    const parsed = AuthServerSchema.safeParse(await jsonOf(as));
    if (!parsed.success) throw new GatewayError('malformed', `${url.href} is not OAuth authorization-server metadata`);
    const methods = parsed.data.code_challenge_methods_supported;
    if (methods !== undefined && !methods.includes('S256')) throw new GatewayError('malformed', `the authorization server ${issuer} does not support PKCE with S256`);
    return {
      resource: resource.data.resource,
      issuer: parsed.data.issuer,
      authorizationEndpoint: parsed.data.authorization_endpoint,
      tokenEndpoint: parsed.data.token_endpoint,
      ...(parsed.data.registration_endpoint !== undefined ? { registrationEndpoint: parsed.data.registration_endpoint } : {}),
    };
  }
  throw new GatewayError('malformed', `no authorization-server metadata found for ${issuer}`);
}

/** RFC 7591 registration of this loopback client (the gateway's shim answers with its static client). */
export async function registerClient(fetch: FetchLike, server: OAuthServer, redirectUri: string, signal: AbortSignal): Promise<OAuthClient> {
  if (server.registrationEndpoint === undefined) {
    throw new GatewayError('malformed', `the authorization server ${server.issuer} offers no client registration; pass --client-id <id> (ask your Hoop admin which one)`);
  }
  const body = JSON.stringify({
    client_name: 'hoop-mcp',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  });
  const res = await sendJson(fetch, new URL(server.registrationEndpoint), { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
  const parsed = RegistrationSchema.safeParse(await jsonOf(res));
  if (res.status !== 201 && res.status !== 200) throw new GatewayError('http-error', `client registration at ${server.registrationEndpoint} failed (HTTP ${res.status})`, res.status);
  if (!parsed.success) throw new GatewayError('malformed', `client registration at ${server.registrationEndpoint} sent no client_id`);
  return { clientId: parsed.data.client_id, ...(parsed.data.client_secret !== undefined ? { clientSecret: parsed.data.client_secret } : {}) };
}

export interface Pkce {
  verifier: string;
  challenge: string;
  state: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url'), state: randomBytes(16).toString('base64url') };
}

export function authorizationUrl(server: OAuthServer, client: OAuthClient, redirectUri: string, pkce: Pkce): string {
  const url = new URL(server.authorizationEndpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: redirectUri,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    state: pkce.state,
    resource: server.resource,
    // the refresh token is what lets `serve` outlive the access token
    scope: 'openid email profile offline_access',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

export type Grant = { grant_type: 'authorization_code'; code: string; redirect_uri: string; code_verifier: string } | { grant_type: 'refresh_token'; refresh_token: string };

/** One grant at the token endpoint. A refused grant is an OAuthGrantError; the caller decides what it means. */
export async function requestToken(fetch: FetchLike, tokenEndpoint: string, client: OAuthClient, resource: string, grant: Grant, signal: AbortSignal): Promise<TokenSet> {
  const form = new URLSearchParams({ ...grant, client_id: client.clientId, resource });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.clientSecret !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`).toString('base64')}`;
  }
  const res = await sendJson(fetch, new URL(tokenEndpoint), { method: 'POST', headers, body: form.toString(), signal });
  const body = await jsonOf(res);
  if (res.status !== 200) {
    const err = TokenErrorSchema.safeParse(body);
    if (res.status >= 500 || !err.success) throw new GatewayError('server-error', `the token endpoint ${tokenEndpoint} failed (HTTP ${res.status})`, res.status);
    throw new OAuthGrantError(err.data.error, err.data.error_description);
  }
  const parsed = TokenResponseSchema.safeParse(body);
  if (!parsed.success) throw new GatewayError('malformed', `the token endpoint ${tokenEndpoint} answered without an access token`);
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    ...(t.refresh_token !== undefined ? { refreshToken: t.refresh_token } : {}),
    ...(t.expires_in !== undefined ? { expiresAt: new Date(Date.now() + t.expires_in * 1000) } : {}),
  };
}

/**
 * Whether /api/mcp accepts the token. MCP OAuth applies to /api/mcp only (hoop's REST routes keep
 * their own auth), so this is where an IdP token is checked. The probe session is closed again.
 */
export async function checkMcpToken(fetch: FetchLike, gateway: GatewayUrl, token: string, signal: AbortSignal): Promise<void> {
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'hoop-mcp login', version: VERSION } } };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const res = await sendJson(fetch, gateway.mcpEndpoint, { method: 'POST', headers, body: JSON.stringify(init), signal });
  await res.body?.cancel().catch(() => undefined);
  if (res.status === 401 || res.status === 403) {
    const why = /error_description="([^"]*)"/.exec(res.headers.get('www-authenticate') ?? '')?.[1];
    throw new GatewayError('unauthorized', `the gateway refused the new token at /api/mcp (${res.status}${why ? `: ${why}` : ''}); ask your Hoop admin to check the MCP OAuth settings`, res.status);
  }
  if (res.status !== 200) throw new GatewayError('http-error', `the gateway answered the token check at /api/mcp with HTTP ${res.status}`, res.status);
  const session = res.headers.get('mcp-session-id');
  if (session !== null) {
    const bye = await sendJson(fetch, gateway.mcpEndpoint, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'mcp-session-id': session }, signal }).catch(() => undefined);
    await bye?.body?.cancel().catch(() => undefined);
  }
}
