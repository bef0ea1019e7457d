import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  connectTimeoutMs?: number;
}

/**
 * The one dispatcher for every gateway request. Proxy variables (HTTPS_PROXY, NO_PROXY) are
 * honoured when set; NODE_EXTRA_CA_CERTS applies through Node's TLS defaults. Header and body
 * timeouts are off here because the bridge times each call itself: an approval wait can keep a
 * response open for minutes while progress arrives.
 */
export function createDispatcher(opts: DispatcherOptions = {}): Dispatcher {
  const common = {
    connect: { timeout: opts.connectTimeoutMs ?? 10_000 },
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 30_000,
  };
  const proxied = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some((k) => (process.env[k] ?? '') !== '');
  return proxied ? new EnvHttpProxyAgent(common) : new Agent(common);
}
