import type { Credentials } from '../../gateway/credentials.js';
import type { Logger } from '../../shared/log.js';
import type { FetchLike, FetchResponse } from '../../gateway/http.js';
import { networkError, statusError } from '../../gateway/errors.js';
import { detached, discard, errorDetail, headerValue, sendAuthenticated } from '../../gateway/request.js';
import { GatewayError, isAbortError } from '../../shared/errors.js';
import { rawResponse } from '../../shared/jsonrpc.js';
import { parseSse } from './sse.js';

export interface McpHttpOptions {
  endpoint: URL;
  /** The gateway base, for messages. */
  gateway: string;
  fetch: FetchLike;
  credentials: Credentials;
  userAgent: string;
  logger: Logger;
}

export interface SessionHeaders {
  sessionId?: string;
  protocolVersion?: string;
}

/** Results from this size up are relayed as bytes; below it parsing costs less than it saves. */
export const RAW_MIN_BYTES = 1024 * 1024;

export type PostOutcome =
  | { kind: 'accepted' }
  | { kind: 'messages'; sessionId?: string; messages: AsyncGenerator<unknown> };

/**
 * The HTTP side of MCP's Streamable HTTP transport, as the gateway's go-sdk speaks it: POST for
 * messages (answered with SSE, JSON or 202), GET for the optional standalone stream, DELETE to
 * end a session. Every failure comes out as a GatewayError that says what to do.
 */
export class McpHttp {
  constructor(private readonly opts: McpHttpOptions) {}

  /** With `keepLarge`, a large response with a result comes as a RawResponse instead of parsed. */
  async post(message: object, session: SessionHeaders, signal: AbortSignal, keepLarge = false): Promise<PostOutcome> {
    const res = await this.send('POST', session, signal, JSON.stringify(message));
    if (res.status === 202) {
      discard(res);
      return { kind: 'accepted' };
    }
    const sessionId = headerValue(res.headers.get('mcp-session-id'));
    return { kind: 'messages', ...(sessionId !== undefined ? { sessionId } : {}), messages: this.messages(res, keepLarge) };
  }

  /** Opens the standalone stream; undefined when the gateway does not offer one. */
  async get(session: SessionHeaders, signal: AbortSignal): Promise<AsyncGenerator<unknown> | undefined> {
    try {
      const res = await this.send('GET', session, signal);
      return this.messages(res);
    } catch (err) {
      if (err instanceof GatewayError && (err.status === 405 || err.status === 400)) return undefined;
      throw err;
    }
  }

  async delete(session: SessionHeaders, signal: AbortSignal): Promise<void> {
    discard(await this.send('DELETE', session, signal));
  }

  private async send(method: 'POST' | 'GET' | 'DELETE', session: SessionHeaders, signal: AbortSignal, body?: string): Promise<FetchResponse> {
    const headers: Record<string, string> = { accept: method === 'GET' ? 'text/event-stream' : 'application/json, text/event-stream' };
    if (method === 'POST') headers['content-type'] = 'application/json';
    if (session.sessionId !== undefined) headers['mcp-session-id'] = session.sessionId;
    if (session.protocolVersion !== undefined) headers['mcp-protocol-version'] = session.protocolVersion;

    const res = await sendAuthenticated(this.opts, this.opts.endpoint, { method, headers, ...(body !== undefined ? { body } : {}), signal });
    if (res.status >= 200 && res.status < 300) return res;

    const detail = await errorDetail(res);
    if (res.status === 404) {
      if (session.sessionId !== undefined) {
        throw new GatewayError('session-expired', `the gateway no longer knows MCP session ${session.sessionId} (${detail ?? '404'})`, 404);
      }
      throw new GatewayError(
        'mcp-unavailable',
        `this gateway does not serve MCP at ${this.opts.endpoint.href} (404): it predates hoop's MCP server or has it turned off. ` +
          'Run hoop-mcp with --backend auto (the default) or --backend rest to use its REST API, or upgrade the gateway',
        404,
      );
    }
    const err = statusError(res.status, this.opts.gateway, detail);
    // /api/mcp has no role list, so hoop refuses users whose only group is the auditor group.
    if (res.status === 403) err.message += '; members of only the auditor group cannot use the gateway\'s MCP endpoint (try --backend rest)';
    throw err;
  }

  private async *messages(res: FetchResponse, keepLarge = false): AsyncGenerator<unknown> {
    const contentType = (headerValue(res.headers.get('content-type')) ?? '').toLowerCase();
    // Set once the body is in hands that release it (read to the end, or drained by `detached`).
    let handled = false;
    try {
      if (contentType.startsWith('text/event-stream') && res.body !== null) {
        handled = true;
        for await (const event of parseSse(detached(res.body))) {
          if (event.event !== 'message' || event.data.length === 0) continue;
          yield this.decode(event.data, keepLarge);
        }
        return;
      }
      if (contentType.startsWith('application/json')) {
        const parsed = this.decode(await res.text(), keepLarge);
        handled = true;
        if (Array.isArray(parsed)) yield* parsed;
        else yield parsed;
        return;
      }
      throw new GatewayError(
        'malformed',
        `${this.opts.gateway} answered with "${contentType || 'no content type'}" instead of MCP (JSON or an event stream); is this the address of a Hoop gateway?`,
      );
    } catch (err) {
      if (err instanceof GatewayError || isAbortError(err)) throw err;
      throw networkError(err, this.opts.gateway);
    } finally {
      if (!handled) discard(res);
    }
  }

  /** SSE data arrives as bytes, a JSON body as text: each is turned into the other only when the byte relay needs it. */
  private decode(data: Buffer | string, keepLarge: boolean): unknown {
    if (keepLarge && data.length >= RAW_MIN_BYTES) {
      const raw = rawResponse(typeof data === 'string' ? Buffer.from(data) : data);
      if (raw !== undefined) return raw;
    }
    try {
      return JSON.parse(typeof data === 'string' ? data : data.toString('utf8'));
    } catch {
      throw new GatewayError('malformed', `${this.opts.gateway} sent a message that is not valid JSON`);
    }
  }

}
