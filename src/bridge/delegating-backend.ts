import type { Params } from '../shared/jsonrpc.js';
import type { CallToolParams, ToolResult, Tool } from '../shared/mcp.js';
import type { Backend, CallContext } from './backend.js';

/** Base for decorators (policy, audit): everything passes to the wrapped backend unless overridden. */
export abstract class DelegatingBackend implements Backend {
  constructor(protected readonly inner: Backend) {}

  get kind(): Backend['kind'] {
    return this.inner.kind;
  }

  listTools(signal: AbortSignal): Promise<Tool[]> {
    return this.inner.listTools(signal);
  }

  callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult> {
    return this.inner.callTool(params, ctx);
  }

  forward(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params> {
    return this.inner.forward(method, params, signal);
  }

  notify(method: string, params: Params | undefined): void {
    this.inner.notify(method, params);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
