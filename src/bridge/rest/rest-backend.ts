import type { Logger } from '../../shared/log.js';
import type { RestApi } from '../../gateway/rest.js';
import { ErrorCode, RpcError, type Params } from '../../shared/jsonrpc.js';
import { toolError, type CallToolParams, type CallToolResult, type Tool } from '../../shared/mcp.js';
import { errorMessage, isAbortError } from '../../shared/errors.js';
import { allTools, type RestTool } from '../../tools/index.js';
import type { Backend, CallContext } from '../backend.js';

export interface RestBackendOptions {
  rest: RestApi;
  logger: Logger;
  /** Per call, restarted by every page a tool reports. */
  timeoutMs: number;
}

/**
 * Serves hoop's 36 v1 admin tools here, over the gateway's REST API with the user's token, for
 * gateways without /api/mcp. Every request still passes the gateway's auth, RBAC and audit.
 */
export class RestBackend implements Backend {
  readonly kind = 'rest' as const;
  private readonly tools = new Map<string, RestTool>();

  constructor(private readonly opts: RestBackendOptions) {
    for (const tool of allTools()) this.tools.set(tool.name, tool);
  }

  async listTools(): Promise<Tool[]> {
    return [...this.tools.values()].map((t) => t.wire());
  }

  async callTool(params: CallToolParams, ctx: CallContext): Promise<CallToolResult> {
    const tool = this.tools.get(params.name);
    // As go-sdk answers an unknown tool: a protocol error, not a tool result.
    if (tool === undefined) throw new RpcError(ErrorCode.InvalidParams, `unknown tool "${params.name}"`);
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(ctx.signal.reason);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort('timeout');
      }, this.opts.timeoutMs);
    };
    arm();
    try {
      return await tool.run(params.arguments, {
        rest: this.opts.rest,
        signal: controller.signal,
        progress: (p) => {
          arm();
          if (ctx.progressToken !== undefined) ctx.sendProgress({ ...p, progressToken: ctx.progressToken });
        },
      });
    } catch (err) {
      if (timedOut) {
        return toolError(`the gateway did not answer ${params.name} within ${this.opts.timeoutMs / 1000}s (--timeout). A write may still have happened: check before retrying`);
      }
      if (isAbortError(err) || ctx.signal.aborted) throw err;
      this.opts.logger.warn(`tools/call ${params.name}: ${errorMessage(err)}`);
      return toolError(`hoop-mcp failed running ${params.name}: ${errorMessage(err)}`);
    } finally {
      clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onAbort);
    }
  }

  async forward(method: string): Promise<Params> {
    // Nothing upstream speaks MCP: accept logging/setLevel, there is no gateway log stream to tune.
    if (method === 'logging/setLevel') return {};
    throw new RpcError(ErrorCode.MethodNotFound, `method not found: ${method}`);
  }

  notify(): void {}

  async close(): Promise<void> {}
}
