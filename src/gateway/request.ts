import type { Logger } from '../shared/log.js';
import { GatewayError, isAbortError } from '../shared/errors.js';
import { authHeaders } from './auth-headers.js';
import type { Credentials } from './credentials.js';
import { gatewayDetail, LOGIN_HINT, networkError } from './errors.js';
import type { FetchInit, FetchLike, FetchResponse } from './http.js';

/** What every authenticated gateway request needs, whichever API it speaks. */
export interface GatewayRequester {
  /** The gateway base, for messages. */
  gateway: string;
  fetch: FetchLike;
  credentials: Credentials;
  userAgent: string;
  /**
   * Sent as `User-Client`: hoop's audit classifies a request by its first product token, so REST
   * calls made for an MCP client can name that client (Claude Code, Cursor) after it.
   */
  userClient?: string;
  logger: Logger;
}

/**
 * Sends one authenticated request to the gateway: the token as hoop's CLI sends it, a network
 * failure turned into a GatewayError that says what to check, and a rotated token
 * (X-New-Access-Token) adopted for the next request. The caller maps the status.
 */
export async function sendAuthenticated(
  r: GatewayRequester,
  url: URL,
  init: Omit<FetchInit, 'headers'> & { headers: Record<string, string> },
): Promise<FetchResponse> {
  // Not logged in when this process started? The user may have run `hoop-mcp login` since. An
  // OAuth token about to expire is refreshed first.
  await r.credentials.freshen();
  let res = await attempt(r, url, init);
  // A 401 means the gateway did not act on the request, so trying once more is safe when the
  // store holds a newer token (another instance got a rotation, or the user logged in again).
  if (res.status === 401 && (await r.credentials.reload())) {
    discard(res);
    res = await attempt(r, url, init);
  }
  return res;
}

async function attempt(r: GatewayRequester, url: URL, init: Omit<FetchInit, 'headers'> & { headers: Record<string, string> }): Promise<FetchResponse> {
  const token = r.credentials.current();
  if (token === undefined) {
    throw new GatewayError('not-logged-in', `not logged in to ${r.gateway}; ${LOGIN_HINT} (or set HOOP_TOKEN)`);
  }
  const headers = { ...authHeaders(token), 'user-agent': r.userAgent, ...(r.userClient !== undefined ? { 'user-client': r.userClient } : {}), ...init.headers };
  const res = await send(r.fetch, url, { ...init, headers }, r.gateway);
  const rotated = headerValue(res.headers.get('x-new-access-token'));
  if (rotated !== undefined) {
    r.logger.info('the gateway rotated the access token; using the new one from now on');
    r.credentials.rotate(rotated);
  }
  return res;
}

/** One request; a network failure becomes a GatewayError that names `where` and says what to check. */
export async function send(fetch: FetchLike, url: URL, init: FetchInit, where: string): Promise<FetchResponse> {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (isAbortError(err) || init.signal.aborted) throw err;
    throw networkError(err, where);
  }
}

/** The gateway's own words about a failed request (`{"message": …}` or a short text). */
export async function errorDetail(res: FetchResponse): Promise<string | undefined> {
  const text = await readText(res, 64 * 1024).catch(() => '');
  return gatewayDetail(text, headerValue(res.headers.get('content-type')));
}

export function headerValue(value: string | null): string | undefined {
  return value === null || value === '' ? undefined : value;
}

/** Releases a body we will not read. Not awaited: a stalled peer must not stall us. */
export function discard(res: FetchResponse): void {
  res.body?.cancel().catch(() => undefined);
}

/** Reads at most `limit` bytes of a body: enough for hoop's `{"message": …}`. */
export async function readText(res: FetchResponse, limit: number): Promise<string> {
  if (res.body === null) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of detached(res.body)) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= limit) break;
  }
  discard(res);
  return Buffer.concat(chunks).toString('utf8').slice(0, limit);
}

/**
 * A body to iterate that never makes its reader wait on the way out. A reader that stops early
 * (it has its answer) leaves the rest to drain in the background: the gateway ends the stream
 * right after the answer, so the connection goes back to the pool instead of being torn down.
 * Whatever is still open after a short while is cancelled, and a peer that never acknowledges
 * that cannot stall anyone.
 */
export function detached<T>(body: AsyncIterable<T>, drainMs = 2_000): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const inner = body[Symbol.asyncIterator]();
      return {
        next: () => inner.next(),
        return: (): Promise<IteratorResult<T>> => {
          void drain(inner, drainMs);
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
}

async function drain<T>(inner: AsyncIterator<T>, ms: number): Promise<void> {
  const give = setTimeout(() => void inner.return?.().catch(() => undefined), ms);
  give.unref();
  try {
    for (let r = await inner.next(); r.done !== true; r = await inner.next()) {
      // discard
    }
  } catch {
    // the stream failed or was cancelled: nothing to release
  } finally {
    clearTimeout(give);
  }
}
