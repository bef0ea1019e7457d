import { isIP } from 'node:net';

import { UsageError } from '../shared/errors.js';

/** A validated gateway base URL (scheme, host, optional path prefix; no trailing slash). */
export interface GatewayUrl {
  /** e.g. https://hoop.example.com or https://host/prefix */
  base: string;
  /** <base>/api/mcp */
  mcpEndpoint: URL;
  loopback: boolean;
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Parses what a user typed as the gateway address. Plain http is refused unless the host is
 * loopback or the user said --allow-http: the bearer token would cross the network in clear.
 */
export function parseGatewayUrl(raw: string, opts: { allowHttp?: boolean } = {}): GatewayUrl {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UsageError(`"${trimmed}" is not a valid gateway URL; expected something like https://hoop.example.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`the gateway URL must start with https:// (got ${url.protocol}//)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('the gateway URL must not contain credentials; run `npx hoop-mcp login` to store them in the keychain');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError('the gateway URL must not have a query string or fragment');
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !loopback && opts.allowHttp !== true) {
    throw new UsageError(
      `refusing plain http to ${url.host}: your token would travel unencrypted. Use https://, or pass --allow-http if you really mean it`,
    );
  }
  // Accept the MCP endpoint itself (what the web app's AI-agent snippet shows) as the base.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/mcp$/, '');
  const base = `${url.protocol}//${url.host}${path}`;
  return { base, mcpEndpoint: new URL(`${base}/api/mcp`), loopback };
}
