import type { Logger } from '../shared/log.js';
import { GatewayError } from '../shared/errors.js';
import type { Params } from '../shared/jsonrpc.js';
import type { CallToolParams, ToolResult, Tool } from '../shared/mcp.js';
import type { Backend, CallContext, ClientChannel } from './backend.js';

export interface AutoBackendOptions {
  primary: Backend;
  /** Built on first need, once the gateway has said it has no /api/mcp. */
  fallback: () => Promise<Backend>;
  client: ClientChannel;
  logger: Logger;
  gateway: string;
}

/**
 * `--backend auto`: the gateway's own MCP server when it has one; when /api/mcp answers 404
 * (an older gateway, or MCP turned off) the REST backend, for the rest of the process.
 */
export class AutoBackend implements Backend {
  private current: Backend;
  private switching: Promise<Backend> | undefined;
  private listServed = false;

  constructor(private readonly opts: AutoBackendOptions) {
    this.current = opts.primary;
  }

  get kind(): Backend['kind'] {
    return this.current.kind;
  }

  async listTools(signal: AbortSignal): Promise<Tool[]> {
    const tools = await this.run((b) => b.listTools(signal));
    this.listServed = true;
    return tools;
  }

  callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult> {
    return this.run((b) => b.callTool(params, ctx));
  }

  forward(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params> {
    return this.run((b) => b.forward(method, params, signal));
  }

  notify(method: string, params: Params | undefined): void {
    this.current.notify(method, params);
  }

  async close(): Promise<void> {
    await this.current.close();
  }

  private async run<T>(op: (b: Backend) => Promise<T>): Promise<T> {
    const backend = this.switching !== undefined ? await this.switching : this.current;
    try {
      return await op(backend);
    } catch (err) {
      // The relay raises this one (it is built with passThrough: ['mcp-unavailable']) instead of answering it.
      if (backend === this.opts.primary && err instanceof GatewayError && err.kind === 'mcp-unavailable') return op(await this.switchToRest());
      throw err;
    }
  }

  private switchToRest(): Promise<Backend> {
    this.switching ??= (async () => {
      this.opts.logger.info(`${this.opts.gateway} has no MCP endpoint (/api/mcp answered 404): serving hoop's v1 tools over its REST API from now on`);
      const rest = await this.opts.fallback();
      const old = this.current;
      this.current = rest;
      void old.close().catch(() => undefined);
      if (this.listServed) this.opts.client.notify('notifications/tools/list_changed');
      return rest;
    })();
    return this.switching;
  }
}
