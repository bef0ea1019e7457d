import type { Readable, Writable } from 'node:stream';

import type { Logger } from '../shared/log.js';
import { errorMessage } from '../shared/errors.js';
import {
  classifyMessage,
  ErrorCode,
  JSONRPC_VERSION,
  RawJson,
  RpcError,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type Params,
  type RequestId,
} from '../shared/jsonrpc.js';
import type { Redactor } from '../shared/redact.js';
import { CancelledParamsSchema } from '../shared/mcp.js';
import { LineSplitter } from './line-splitter.js';

export interface PeerHandlers {
  /** Answers one client request (a RawJson result goes out as its bytes); throw RpcError for an error response. */
  onRequest(request: JsonRpcRequest, signal: AbortSignal): Promise<Params | RawJson>;
  onNotification(notification: JsonRpcNotification): void;
  /** stdin ended or stdout broke: the client is gone. */
  onClose(): void;
}

export interface PeerOptions {
  input: Readable;
  output: Writable;
  handlers: PeerHandlers;
  logger: Logger;
  redactor: Redactor;
  maxLineBytes?: number;
}

/** Large enough for any sane request (the biggest tool arguments are scripts), small enough to bound memory. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

/**
 * JSON-RPC over newline-delimited stdio, the client-facing half of the bridge. Every line in is
 * answered as JSON-RPC says (parse errors included); every byte out is a JSON-RPC message with
 * known secrets scrubbed.
 */
export class StdioPeer {
  private readonly inflight = new Map<RequestId, AbortController>();
  private readonly pending = new Map<RequestId, { resolve: (p: Params) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private inputEnded = false;
  private outputBroken = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: PeerOptions) {}

  start(): void {
    const { input, output, logger } = this.opts;
    const splitter = new LineSplitter(
      this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      (line) => this.onLine(line),
      (bytes) => {
        logger.warn(`dropped a ${bytes}-byte message from the client: larger than the ${this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES}-byte limit`);
        this.sendError(null, ErrorCode.InvalidRequest, `message too large (${bytes} bytes)`);
      },
    );
    input.on('data', (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    input.on('end', () => {
      splitter.end();
      this.shutdown();
    });
    input.on('close', () => this.shutdown());
    input.on('error', (err) => {
      logger.debug(`stdin error: ${errorMessage(err)}`);
      this.shutdown();
    });
    output.on('error', (err) => {
      logger.debug(`stdout error: ${errorMessage(err)}`);
      this.outputBroken = true;
      this.abortAll('the MCP client has disconnected');
      this.shutdown();
    });
  }

  notify(method: string, params?: Params): void {
    this.write({ jsonrpc: JSONRPC_VERSION, method, ...(params !== undefined ? { params } : {}) });
  }

  /** A request to the client (elicitation, sampling, roots). Aborting tells the client too. */
  request(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params> {
    const id = this.nextId++;
    return new Promise<Params>((resolve, reject) => {
      if (this.inputEnded || this.outputBroken) return reject(new Error('the MCP client has disconnected'));
      const onAbort = (): void => {
        this.pending.delete(id);
        this.notify('notifications/cancelled', { requestId: id, reason: typeof signal.reason === 'string' ? signal.reason : 'cancelled' });
        reject(new RpcError(ErrorCode.InternalError, 'request cancelled'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (p) => {
          signal.removeEventListener('abort', onAbort);
          resolve(p);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      this.write({ jsonrpc: JSONRPC_VERSION, id, method, ...(params !== undefined ? { params } : {}) });
    });
  }

  /** Aborts every request in flight; used on shutdown. */
  abortAll(reason: string): void {
    for (const controller of this.inflight.values()) controller.abort(reason);
    for (const waiter of this.pending.values()) waiter.reject(new Error(reason));
    this.pending.clear();
  }

  /** Resolves once no client request is in flight, or after `timeoutMs`: answers still owed get a chance to go out. */
  idle(timeoutMs: number): Promise<void> {
    if (this.inflight.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private shutdown(): void {
    if (this.inputEnded) return;
    this.inputEnded = true;
    this.opts.handlers.onClose();
  }

  private onLine(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.opts.logger.warn('the client sent a line that is not JSON; answered with a parse error');
      this.sendError(null, ErrorCode.ParseError, 'parse error: not valid JSON');
      return;
    }
    if (Array.isArray(value)) {
      this.sendError(null, ErrorCode.InvalidRequest, 'JSON-RPC batches are not supported by MCP since 2025-06-18');
      return;
    }
    const msg = classifyMessage(value);
    switch (msg.kind) {
      case 'request':
        this.handleRequest(msg.message);
        return;
      case 'notification':
        this.handleNotification(msg.message);
        return;
      case 'result':
        this.pending.get(msg.message.id)?.resolve(msg.message.result);
        this.pending.delete(msg.message.id);
        return;
      case 'error': {
        const id = msg.message.id;
        if (id === null || id === undefined) return;
        const e = msg.message.error;
        this.pending.get(id)?.reject(new RpcError(e.code, e.message, e.data));
        this.pending.delete(id);
        return;
      }
      case 'invalid':
        this.sendError(msg.id, ErrorCode.InvalidRequest, `invalid request: ${msg.reason}`);
    }
  }

  private handleRequest(request: JsonRpcRequest): void {
    if (this.inflight.has(request.id)) {
      this.sendError(request.id, ErrorCode.InvalidRequest, `request id ${JSON.stringify(request.id)} is already in use`);
      return;
    }
    const controller = new AbortController();
    this.inflight.set(request.id, controller);
    this.opts.handlers
      .onRequest(request, controller.signal)
      .then(
        (result) => {
          if (controller.signal.aborted) return;
          if (result instanceof RawJson) this.writeRaw(request.id, result);
          else this.write({ jsonrpc: JSONRPC_VERSION, id: request.id, result });
        },
        (err: unknown) => {
          // A cancelled request gets no answer, as the MCP spec asks.
          if (controller.signal.aborted) return;
          const error = err instanceof RpcError ? err.toObject() : { code: ErrorCode.InternalError, message: errorMessage(err) };
          if (!(err instanceof RpcError)) this.opts.logger.error(`${request.method} failed: ${errorMessage(err)}`);
          this.write({ jsonrpc: JSONRPC_VERSION, id: request.id, error: { ...error, message: this.opts.redactor.redact(error.message) } });
        },
      )
      .finally(() => {
        this.inflight.delete(request.id);
        if (this.inflight.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }

  private handleNotification(notification: JsonRpcNotification): void {
    if (notification.method === 'notifications/cancelled') {
      const parsed = CancelledParamsSchema.safeParse(notification.params);
      if (parsed.success) this.inflight.get(parsed.data.requestId)?.abort(parsed.data.reason ?? 'cancelled by the client');
      return;
    }
    this.opts.handlers.onNotification(notification);
  }

  /** For an unknown id the field is left out: MCP's schema (2025-11-25) allows that, while `null` breaks SDK clients. */
  private sendError(id: RequestId | null, code: number, message: string): void {
    this.write({ jsonrpc: JSONRPC_VERSION, ...(id !== null ? { id } : {}), error: { code, message } });
  }

  private write(message: object): void {
    if (this.outputBroken) return;
    const json = this.opts.redactor.scrubKnown(JSON.stringify(message));
    // Appending the newline would copy a multi-megabyte result once more; two writes do not.
    if (json.length > 1024 * 1024) {
      this.opts.output.write(json);
      this.opts.output.write('\n');
    } else {
      this.opts.output.write(`${json}\n`);
    }
  }

  /** The result's bytes go out as they came; one that holds a known secret takes the scrubbing path. */
  private writeRaw(id: RequestId, result: RawJson): void {
    if (this.outputBroken) return;
    if (this.opts.redactor.foundIn(result.bytes)) {
      this.write({ jsonrpc: JSONRPC_VERSION, id, result: result.parse() });
      return;
    }
    const { output } = this.opts;
    output.write(`{"jsonrpc":"${JSONRPC_VERSION}","id":${JSON.stringify(id)},"result":`);
    output.write(result.bytes);
    output.write('}\n');
  }

  /** Resolves once everything written so far has left the process. */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      if (this.outputBroken || !this.opts.output.writable) resolve();
      else this.opts.output.write('', () => resolve());
    });
  }
}
