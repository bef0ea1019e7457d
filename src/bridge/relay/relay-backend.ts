import type { Logger } from '../../shared/log.js';
import type { Credentials } from '../../gateway/credentials.js';
import type { FetchLike } from '../../gateway/http.js';
import type { GatewayUrl } from '../../gateway/url.js';
import { GatewayError, errorMessage, type GatewayFailure } from '../../shared/errors.js';
import { ErrorCode, RawJson, RpcError, type JsonRpcNotification, type JsonRpcRequest, type Params, type RequestId } from '../../shared/jsonrpc.js';
import {
  CancelledParamsSchema,
  isReplayable,
  LATEST_PROTOCOL_VERSION,
  ListToolsResultSchema,
  ProgressParamsSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  toolError,
  RawToolResult,
  type CallToolParams,
  type ProgressToken,
  type Tool,
  type ToolResult,
} from '../../shared/mcp.js';
import type { Backend, CallContext, ClientChannel, ClientHello } from '../backend.js';
import type { CatalogCache } from '../catalog-cache.js';
import { McpHttp } from './mcp-http.js';
import { UpstreamSession } from './session.js';

export interface RelayOptions {
  gateway: GatewayUrl;
  credentials: Credentials;
  fetch: FetchLike;
  userAgent: string;
  bridgeVersion: string;
  /** Per call; restarts whenever the gateway reports progress. */
  timeoutMs: number;
  logger: Logger;
  cache: CatalogCache;
  hello: ClientHello;
  client: ClientChannel;
  /** Gateway failures a tool call raises instead of answering as an isError result (auto mode falls back on them). */
  passThrough?: readonly GatewayFailure[];
}

/** Server-to-client requests and the client capability each needs. */
const CAPABILITY_FOR: Record<string, string> = {
  'elicitation/create': 'elicitation',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots',
};

/** Failures after which a cached tool list is better than none. */
const STALE_OK = new Set(['unreachable', 'tls', 'timeout', 'server-error', 'interrupted', 'malformed']);

const MAX_TOOL_PAGES = 50;

interface ActiveCall {
  deadline: Deadline;
  /** The progress token is the client's own: pass progress on. Otherwise it only keeps the call alive. */
  forward: boolean;
  /** The last progress value the client saw; what it sees must only go up. */
  shown: number;
  /** When the gateway last reported progress (ms since the epoch). */
  heard: number;
}

/** How often a silent call tells the client it is still waiting (capped by a quarter of --timeout). */
const HEARTBEAT_MS = 15_000;

/** Relays MCP to the gateway's /api/mcp, owning the upstream session on the client's behalf. */
export class RelayBackend implements Backend {
  readonly kind = 'mcp' as const;
  private readonly http: McpHttp;
  private sessionPromise: Promise<UpstreamSession> | undefined;
  private renew = false;
  private closed = false;
  private readonly tools = new Map<string, Tool>();
  private staleServed: Tool[] | undefined;
  private readonly calls = new Map<ProgressToken, ActiveCall>();
  private readonly clientRequests = new Map<RequestId, AbortController>();
  private humanWaits = 0;
  private tokenSeq = 0;
  /** The last catalogue write, awaited on close so a quick exit still leaves the cache behind. */
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly opts: RelayOptions) {
    this.http = new McpHttp({
      endpoint: opts.gateway.mcpEndpoint,
      gateway: opts.gateway.base,
      fetch: opts.fetch,
      credentials: opts.credentials,
      userAgent: opts.userAgent,
      logger: opts.logger,
    });
    // The gateway binds identity and the token its tools use at initialize: a new token needs a new session.
    opts.credentials.onChange(() => {
      this.renew = true;
    });
  }

  /** Opens the upstream session early so the first tools/list does not wait for it. */
  warmUp(): void {
    this.session().catch((err: unknown) => this.opts.logger.warn(`gateway not ready yet: ${errorMessage(err)}`));
  }

  async listTools(signal: AbortSignal): Promise<Tool[]> {
    try {
      const tools = await this.withSession('tools/list', async () => true, (s) => this.timed(signal, 'tools/list', (sig) => this.fetchTools(s, sig)));
      this.remember(tools);
      this.staleServed = undefined;
      this.saving = this.opts.cache.save(tools).catch((err: unknown) => this.opts.logger.debug(`could not cache the tool list: ${errorMessage(err)}`));
      return tools;
    } catch (err) {
      if (err instanceof GatewayError && STALE_OK.has(err.kind)) {
        const cached = await this.opts.cache.load();
        if (cached !== undefined) {
          this.opts.logger.warn(`${err.message}; serving the tool list cached at ${cached.savedAt} (stale) until the gateway is back`);
          this.staleServed = cached.tools;
          this.remember(cached.tools);
          return cached.tools;
        }
      }
      throw err;
    }
  }

  async callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult> {
    const clientToken = params._meta?.progressToken;
    // Without a token the gateway stays silent during long waits; our own token keeps the call alive.
    const token = clientToken ?? `hoop-mcp-${++this.tokenSeq}`;
    const upstreamParams: Params = clientToken !== undefined ? params : { ...params, _meta: { ...params._meta, progressToken: token } };
    const label = `tools/call ${params.name}`;
    try {
      const result = await this.withSession(params.name, (s) => this.isReadOnly(s, params.name, ctx.signal), (s) =>
        this.timed(ctx.signal, label, (sig) => s.request('tools/call', upstreamParams, sig, true), { token, forward: clientToken !== undefined }),
      );
      if (!(result instanceof RawJson)) return result;
      // A large result stays bytes unless it may be an approval envelope, which the notice and the audit trail read.
      return result.bytes.includes('pending_approval') ? result.parse() : new RawToolResult(result);
    } catch (err) {
      if (!(err instanceof GatewayError) || this.opts.passThrough?.includes(err.kind) === true) throw err;
      this.opts.logger.warn(`${label}: ${err.message}`);
      return toolError(err.message);
    }
  }

  forward(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params> {
    return this.withSession(method, async () => true, (s) => this.timed(signal, method, (sig) => s.request(method, params, sig)));
  }

  notify(method: string, params: Params | undefined): void {
    void this.sessionPromise
      ?.then((s) => s.notify(method, params))
      .catch((err: unknown) => this.opts.logger.debug(`could not pass ${method} to the gateway: ${errorMessage(err)}`));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const controller of this.clientRequests.values()) controller.abort('hoop-mcp is shutting down');
    await this.saving;
    const pending = this.sessionPromise;
    this.sessionPromise = undefined;
    if (pending === undefined) return;
    const session = await Promise.race([pending.catch(() => undefined), delay(2_000)]);
    await session?.close();
  }

  private remember(tools: Tool[]): void {
    this.tools.clear();
    for (const tool of tools) this.tools.set(tool.name, tool);
  }

  private async fetchTools(session: UpstreamSession, signal: AbortSignal): Promise<Tool[]> {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_TOOL_PAGES; page++) {
      const result = await session.request('tools/list', cursor !== undefined ? { cursor } : undefined, signal);
      const parsed = ListToolsResultSchema.safeParse(result);
      if (!parsed.success) throw new GatewayError('malformed', 'the gateway answered tools/list with something that is not a tool list');
      tools.push(...parsed.data.tools);
      cursor = parsed.data.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  }

  private session(): Promise<UpstreamSession> {
    if (this.closed) return Promise.reject(new GatewayError('interrupted', 'hoop-mcp is shutting down'));
    if (this.renew && this.sessionPromise !== undefined) {
      this.renew = false;
      const old = this.sessionPromise;
      this.sessionPromise = undefined;
      old.then((s) => s.retire()).catch(() => undefined);
    }
    if (this.sessionPromise === undefined) {
      const opening = this.open();
      this.sessionPromise = opening;
      opening.catch(() => {
        if (this.sessionPromise === opening) this.sessionPromise = undefined;
      });
    }
    return this.sessionPromise;
  }

  private async open(): Promise<UpstreamSession> {
    const { hello, bridgeVersion } = this.opts;
    const seconds = Math.min(this.opts.timeoutMs, 30_000) / 1000;
    const protocolVersion = (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(hello.protocolVersion) ? hello.protocolVersion : LATEST_PROTOCOL_VERSION;
    let session: UpstreamSession;
    try {
      session = await UpstreamSession.open({
        http: this.http,
        protocolVersion,
        capabilities: hello.capabilities,
        clientInfo: { name: `${hello.clientInfo.name} (via hoop-mcp ${bridgeVersion})`, version: hello.clientInfo.version },
        handlers: { onNotification: (m) => this.onNotification(m), onRequest: (m) => this.onRequest(m) },
        logger: this.opts.logger,
        signal: AbortSignal.timeout(seconds * 1000),
      });
    } catch (err) {
      if (err instanceof Error && err.name === 'TimeoutError') {
        throw new GatewayError('timeout', `the gateway at ${this.opts.gateway.base} did not start an MCP session within ${seconds}s; check that it is up`);
      }
      throw err;
    }
    this.opts.logger.info(`connected to ${this.opts.gateway.mcpEndpoint.href} (${session.init.serverInfo.name} ${session.init.serverInfo.version}, protocol ${session.init.protocolVersion})`);
    if (this.staleServed !== undefined) void this.refreshAfterStale(session, this.staleServed);
    return session;
  }

  /** The client saw a cached list while the gateway was down; tell it if the live one differs. */
  private async refreshAfterStale(session: UpstreamSession, served: Tool[]): Promise<void> {
    this.staleServed = undefined;
    try {
      const live = await this.fetchTools(session, AbortSignal.timeout(this.opts.timeoutMs));
      this.remember(live);
      this.saving = this.opts.cache.save(live);
      await this.saving;
      if (JSON.stringify(live) !== JSON.stringify(served)) this.opts.client.notify('notifications/tools/list_changed');
    } catch (err) {
      this.opts.logger.debug(`could not refresh the tool list: ${errorMessage(err)}`);
    }
  }

  /** A tool may be replayed only if the gateway marks it read-only or idempotent; learn the catalogue if needed. */
  private async isReadOnly(session: UpstreamSession, name: string, signal: AbortSignal): Promise<boolean> {
    if (!this.tools.has(name)) {
      try {
        this.remember(await this.timed(signal, 'tools/list', (sig) => this.fetchTools(session, sig)));
      } catch (err) {
        this.opts.logger.debug(`could not learn whether ${name} is read-only: ${errorMessage(err)}`);
      }
    }
    return isReplayable(this.tools.get(name));
  }

  /**
   * Runs `run` on the current session. If the gateway has dropped it (idle timeout, restart), a
   * new one is opened and `run` repeated only when `replayable` says so: never blindly.
   */
  private async withSession<T>(what: string, replayable: (s: UpstreamSession) => Promise<boolean>, run: (s: UpstreamSession) => Promise<T>): Promise<T> {
    const first = await this.session();
    try {
      return await run(first);
    } catch (err) {
      if (!(err instanceof GatewayError && err.kind === 'session-expired')) throw err;
      if (this.sessionPromise !== undefined && (await this.sessionPromise.catch(() => undefined)) === first) this.sessionPromise = undefined;
      first.abandon();
      this.opts.logger.info('the gateway session expired (idle timeout or gateway restart); opening a new one');
      const next = await this.session();
      if (!(await replayable(next))) {
        throw new GatewayError(
          'session-expired',
          `the gateway's MCP session had expired, so hoop-mcp opened a new one but did not resend "${what}": it is not read-only, and it may not have run. ` +
            'Check whether it took effect, then call it again if needed',
        );
      }
      return await run(next);
    }
  }

  /**
   * Runs one upstream request under the bridge's timeout. Progress for `progress.token` restarts
   * the clock, and so does a pending question to the human (elicitation), so long waits that
   * report progress are never cut.
   */
  private async timed<T>(signal: AbortSignal, label: string, run: (signal: AbortSignal) => Promise<T>, progress?: { token: ProgressToken; forward: boolean }): Promise<T> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason ?? 'cancelled by the client');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const seconds = this.opts.timeoutMs / 1000;
    const deadline = new Deadline(this.opts.timeoutMs, () => this.humanWaits > 0, () => {
      timedOut = true;
      controller.abort(`hoop-mcp gave up after ${seconds}s without progress`);
    });
    const started = Date.now();
    const active: ActiveCall | undefined = progress !== undefined ? { deadline, forward: progress.forward, shown: 0, heard: started } : undefined;
    if (progress !== undefined && active !== undefined) this.calls.set(progress.token, active);
    // A client that asked for progress hears from a call the gateway runs silently (exec waits up
    // to 50 s without a word), so its own timeout does not cut a call that is still alive.
    const every = Math.min(HEARTBEAT_MS, this.opts.timeoutMs / 4);
    const heartbeat =
      progress?.forward === true && active !== undefined
        ? setInterval(() => {
            if (Date.now() - active.heard < every) return;
            this.showProgress(progress.token, active, { progress: (Date.now() - started) / 1000, message: 'waiting for the gateway' });
          }, every)
        : undefined;
    try {
      return await run(controller.signal);
    } catch (err) {
      if (timedOut) {
        throw new GatewayError(
          'timeout',
          `the gateway did not answer ${label} within ${seconds}s (--timeout). It may still be running there: check before retrying`,
        );
      }
      throw err;
    } finally {
      deadline.clear();
      clearInterval(heartbeat);
      signal.removeEventListener('abort', onAbort);
      if (progress !== undefined) this.calls.delete(progress.token);
    }
  }

  private showProgress(token: ProgressToken, call: ActiveCall, update: { progress: number; total?: number; message?: string }): void {
    call.shown = Math.max(update.progress, call.shown + 0.001);
    this.opts.client.notify('notifications/progress', { ...update, progressToken: token, progress: call.shown });
  }

  private onNotification(message: JsonRpcNotification): void {
    switch (message.method) {
      case 'notifications/progress': {
        const parsed = ProgressParamsSchema.safeParse(message.params);
        const call = parsed.success ? this.calls.get(parsed.data.progressToken) : undefined;
        if (call === undefined || !parsed.success) return;
        call.deadline.touch();
        call.heard = Date.now();
        // Passed on as the gateway sent it, but never below what the bridge's own heartbeat showed.
        if (call.forward) this.showProgress(parsed.data.progressToken, call, parsed.data);
        return;
      }
      case 'notifications/cancelled': {
        const parsed = CancelledParamsSchema.safeParse(message.params);
        if (parsed.success) this.clientRequests.get(parsed.data.requestId)?.abort(parsed.data.reason ?? 'cancelled by the gateway');
        return;
      }
      default:
        // tools/list_changed, logging messages and anything newer go to the client as they are.
        this.opts.client.notify(message.method, message.params);
    }
  }

  private async onRequest(message: JsonRpcRequest): Promise<Params> {
    if (message.method === 'ping') return {};
    const capability = CAPABILITY_FOR[message.method];
    if (capability === undefined || !(capability in this.opts.hello.capabilities)) {
      throw new RpcError(ErrorCode.MethodNotFound, `the MCP client (${this.opts.hello.clientInfo.name}) does not support ${message.method}`);
    }
    const controller = new AbortController();
    this.clientRequests.set(message.id, controller);
    this.humanWaits++;
    try {
      return await this.opts.client.request(message.method, message.params, controller.signal);
    } finally {
      this.humanWaits--;
      this.clientRequests.delete(message.id);
    }
  }
}

/** A timer that restarts on activity and, when `hold()` says so, waits another period instead of expiring. */
class Deadline {
  private timer: NodeJS.Timeout;

  constructor(
    private readonly ms: number,
    private readonly hold: () => boolean,
    private readonly expire: () => void,
  ) {
    this.timer = this.arm();
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = this.arm();
  }

  clear(): void {
    clearTimeout(this.timer);
  }

  private arm(): NodeJS.Timeout {
    return setTimeout(() => (this.hold() ? this.touch() : this.expire()), this.ms);
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
