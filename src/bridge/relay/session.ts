import type { Logger } from '../../shared/log.js';
import { GatewayError, errorMessage } from '../../shared/errors.js';
import {
  classifyMessage,
  ErrorCode,
  JSONRPC_VERSION,
  RpcError,
  type JsonRpcErrorObject,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type Params,
  type RawJson,
  RawResponse,
} from '../../shared/jsonrpc.js';
import { InitializeResultSchema, type InitializeResult } from '../../shared/mcp.js';
import type { McpHttp } from './mcp-http.js';

/** What the session does with messages the gateway starts. */
export interface UpstreamHandlers {
  onNotification(message: JsonRpcNotification): void;
  /** Answers a server-to-client request; throw RpcError to answer with an error. */
  onRequest(message: JsonRpcRequest): Promise<Params>;
}

export interface OpenOptions {
  http: McpHttp;
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string };
  handlers: UpstreamHandlers;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * One MCP session with the gateway. The gateway freezes the caller's identity at `initialize`,
 * so a session is replaced (not patched) after a token rotation or an expiry.
 */
export class UpstreamSession {
  private nextId = 1;
  private inflight = 0;
  private retired = false;
  private closed = false;
  private readonly listening = new AbortController();

  private constructor(
    private readonly http: McpHttp,
    readonly sessionId: string | undefined,
    readonly init: InitializeResult,
    private readonly handlers: UpstreamHandlers,
    private readonly logger: Logger,
  ) {}

  static async open(opts: OpenOptions): Promise<UpstreamSession> {
    const outcome = await opts.http.post(
      {
        jsonrpc: JSONRPC_VERSION,
        id: 0,
        method: 'initialize',
        params: { protocolVersion: opts.protocolVersion, capabilities: opts.capabilities, clientInfo: opts.clientInfo },
      },
      {},
      opts.signal,
    );
    if (outcome.kind !== 'messages') throw new GatewayError('malformed', 'the gateway accepted initialize without answering it');
    let init: InitializeResult | undefined;
    for await (const raw of outcome.messages) {
      const msg = classifyMessage(raw);
      if (msg.kind === 'error' && msg.message.id === 0) {
        throw new GatewayError('malformed', `the gateway refused to start an MCP session: ${msg.message.error.message}`);
      }
      if (msg.kind === 'result' && msg.message.id === 0) {
        const parsed = InitializeResultSchema.safeParse(msg.message.result);
        if (!parsed.success) throw new GatewayError('malformed', 'the gateway answered initialize with something that is not an MCP initialize result');
        init = parsed.data;
        break;
      }
    }
    if (init === undefined) throw new GatewayError('interrupted', 'the gateway closed the stream before answering initialize');
    const session = new UpstreamSession(opts.http, outcome.sessionId, init, opts.handlers, opts.logger);
    await session.notify('notifications/initialized');
    session.listen();
    return session;
  }

  private get headers(): { sessionId?: string; protocolVersion: string } {
    return { ...(this.sessionId !== undefined ? { sessionId: this.sessionId } : {}), protocolVersion: this.init.protocolVersion };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends one request and reads its stream until the answer comes. Notifications and requests
   * the gateway interleaves go to the handlers. If `signal` aborts, the gateway is told with
   * `notifications/cancelled`: closing the HTTP request alone does not stop a hoop tool.
   * With `keepLarge`, a large result may come back as RawJson (tools/call results, relayed as they are).
   */
  async request(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params>;
  async request(method: string, params: Params | undefined, signal: AbortSignal, keepLarge: true): Promise<Params | RawJson>;
  async request(method: string, params: Params | undefined, signal: AbortSignal, keepLarge = false): Promise<Params | RawJson> {
    const id = this.nextId++;
    this.inflight++;
    try {
      const message = { jsonrpc: JSONRPC_VERSION, id, method, ...(params !== undefined ? { params } : {}) };
      const outcome = await this.http.post(message, this.headers, signal, keepLarge);
      if (outcome.kind !== 'messages') throw new GatewayError('malformed', `the gateway accepted ${method} without answering it`);
      for await (const raw of outcome.messages) {
        if (raw instanceof RawResponse) {
          if (raw.id === id) return raw.result;
          this.logger.debug('ignored a response for a request this session did not send');
          continue;
        }
        const msg = classifyMessage(raw);
        if ((msg.kind === 'result' || msg.kind === 'error') && msg.message.id === id) {
          if (msg.kind === 'result') return msg.message.result;
          const e = msg.message.error;
          throw new RpcError(e.code, e.message, e.data);
        }
        this.dispatch(msg);
      }
      throw new GatewayError('interrupted', `the gateway closed the stream before answering ${method}`);
    } catch (err) {
      if (signal.aborted) {
        const reason = typeof signal.reason === 'string' ? signal.reason : 'cancelled by the client';
        void this.notify('notifications/cancelled', { requestId: id, reason }).catch(() => undefined);
      }
      throw err;
    } finally {
      this.inflight--;
      if (this.retired && this.inflight === 0) void this.close();
    }
  }

  async notify(method: string, params?: Params): Promise<void> {
    const message = { jsonrpc: JSONRPC_VERSION, method, ...(params !== undefined ? { params } : {}) };
    await this.drain(await this.http.post(message, this.headers, AbortSignal.timeout(10_000)));
  }

  /** Stops taking new work; closes once the requests in flight are done. */
  retire(): void {
    this.retired = true;
    if (this.inflight === 0) void this.close();
  }

  /** Forgets a session the gateway already dropped: no DELETE, just stop listening. */
  abandon(): void {
    this.closed = true;
    this.listening.abort();
  }

  /** Ends the session at the gateway (DELETE). Best effort: the gateway evicts idle sessions anyway. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listening.abort();
    if (this.sessionId === undefined) return;
    try {
      await this.http.delete(this.headers, AbortSignal.timeout(timeoutMs));
    } catch (err) {
      this.logger.debug(`could not end the gateway session: ${errorMessage(err)}`);
    }
  }

  private dispatch(msg: ReturnType<typeof classifyMessage>): void {
    switch (msg.kind) {
      case 'notification':
        this.handlers.onNotification(msg.message);
        return;
      case 'request':
        void this.answer(msg.message);
        return;
      case 'invalid':
        this.logger.warn(`ignored a malformed message from the gateway (${msg.reason})`);
        return;
      default:
        this.logger.debug('ignored a response for a request this session did not send');
    }
  }

  private async answer(request: JsonRpcRequest): Promise<void> {
    let reply: { result: Params } | { error: JsonRpcErrorObject };
    try {
      reply = { result: await this.handlers.onRequest(request) };
    } catch (err) {
      const error = err instanceof RpcError ? err.toObject() : { code: ErrorCode.InternalError, message: errorMessage(err) };
      reply = { error };
    }
    try {
      await this.drain(await this.http.post({ jsonrpc: JSONRPC_VERSION, id: request.id, ...reply }, this.headers, AbortSignal.timeout(30_000)));
    } catch (err) {
      this.logger.warn(`could not send the answer to the gateway's ${request.method}: ${errorMessage(err)}`);
    }
  }

  private async drain(outcome: Awaited<ReturnType<McpHttp['post']>>): Promise<void> {
    if (outcome.kind === 'messages') for await (const raw of outcome.messages) this.dispatch(classifyMessage(raw));
  }

  /**
   * Keeps the standalone GET stream open for messages the gateway sends outside any request
   * (tools/list_changed). Optional in the protocol, so any refusal just ends the loop.
   */
  private listen(): void {
    const signal = this.listening.signal;
    void (async () => {
      let delay = 1_000;
      while (!signal.aborted) {
        try {
          const stream = await this.http.get(this.headers, signal);
          if (stream === undefined) return;
          delay = 1_000;
          for await (const raw of stream) this.dispatch(classifyMessage(raw));
        } catch (err) {
          if (signal.aborted) return;
          if (err instanceof GatewayError && (err.kind === 'session-expired' || err.kind === 'unauthorized' || err.kind === 'forbidden' || err.kind === 'http-error')) return;
          this.logger.debug(`standalone stream from the gateway ended: ${errorMessage(err)}`);
        }
        await sleep(delay, signal);
        delay = Math.min(delay * 2, 30_000);
      }
    })();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
