import { rootCertificates } from 'node:tls';

import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici';

/** The parts of a fetch Response the gateway client reads. Both undici's and Node's global fetch fit. */
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: (AsyncIterable<Uint8Array> & { cancel(reason?: unknown): Promise<void> }) | null;
  text(): Promise<string>;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** Injected everywhere the gateway is called, so unit tests can hand in msw's intercepted fetch. */
export type FetchLike = (url: URL, init: FetchInit) => Promise<FetchResponse>;

export interface DispatcherOptions {
  connectTimeoutMs?: number;
  /** Extra CA certificates (PEM), trusted in addition to Node's. */
  ca?: string;
  /** Skip certificate verification (HOOP_TLS_SKIP_VERIFY=true only). */
  insecure?: boolean;
}

/**
 * The one dispatcher for every gateway request. Proxy variables (HTTPS_PROXY, NO_PROXY) are
 * honoured when set; NODE_EXTRA_CA_CERTS applies through Node's TLS defaults. Header and body
 * timeouts are off here because the bridge times each call itself: an approval wait can keep a
 * response open for minutes while progress arrives.
 */
export function createDispatcher(opts: DispatcherOptions = {}): Dispatcher {
  const common = {
    connect: {
      timeout: opts.connectTimeoutMs ?? 10_000,
      // A `ca` option replaces Node's trust store, so the defaults go in with the extra one.
      ...(opts.ca !== undefined ? { ca: [...rootCertificates, opts.ca] } : {}),
      ...(opts.insecure === true ? { rejectUnauthorized: false } : {}),
    },
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
  };
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => (process.env[k] ?? '') !== '');
  if (!proxied) return new Agent(common);
  // Through a proxy, undici takes the gateway's TLS options from requestTls, not connect: without
  // this the CA and the skip-verify switch would silently not apply. The proxy gets the same trust.
  const tls = { ...(opts.ca !== undefined ? { ca: [...rootCertificates, opts.ca] } : {}), ...(opts.insecure === true ? { rejectUnauthorized: false } : {}) };
  return new EnvHttpProxyAgent({ ...common, requestTls: tls, proxyTls: tls });
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The proxy EnvHttpProxyAgent sends a request for `url` through, undefined when it goes direct.
 * undici's own rules, so doctor reports what the dispatcher does: lower-case names win, https
 * falls back to the http proxy but http never uses the https one, and NO_PROXY entries may carry
 * a port or a leading `*.`.
 */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): string | undefined {
  const http = env.http_proxy ?? env.HTTP_PROXY ?? '';
  const https = env.https_proxy ?? env.HTTPS_PROXY ?? '';
  const proxy = url.protocol === 'https:' && https !== '' ? https : http;
  if (proxy === '') return undefined;
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  if (noProxy === '*') return undefined;
  // undici keeps an IPv6 host's brackets, so `::1` in NO_PROXY never matches `[::1]`
  const host = url.host.replace(/:\d*$/, '').toLowerCase();
  const port = Number.parseInt(url.port, 10) || (DEFAULT_PORTS[url.protocol] ?? 0);
  const exempt = noProxy
    .split(/[,\s]/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      const withPort = /^(.+):(\d+)$/.exec(entry);
      const name = (withPort?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase();
      if (withPort !== null && Number.parseInt(withPort[2] ?? '', 10) !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
  return exempt ? undefined : proxy;
}

/**
 * The production FetchLike, on undici's `request` rather than its WHATWG fetch: the same
 * dispatcher, a fraction of the per-request work (no Request/Response objects, no web streams),
 * which is most of what the bridge adds to each call. No redirects are followed: API routes never
 * redirect, and a redirect is better reported than silently followed with the token.
 */
export function createFetch(dispatcher: Dispatcher = createDispatcher()): FetchLike {
  return async (url, init) => {
    const res = await request(url, {
      method: init.method as Dispatcher.HttpMethod,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: init.signal,
      dispatcher,
    });
    const body = res.body;
    // Readers see errors through iteration; an aborted body nobody is reading must not crash the process.
    body.on('error', () => undefined);
    return {
      status: res.statusCode,
      headers: {
        get: (name) => {
          const value = res.headers[name.toLowerCase()];
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
        },
      },
      body: {
        [Symbol.asyncIterator]: () => body[Symbol.asyncIterator](),
        cancel: async () => {
          body.destroy();
        },
      },
      text: () => body.text(),
    };
  };
}
