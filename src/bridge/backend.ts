import type { CallToolParams, Implementation, ProgressParams, Tool, ToolResult } from '../shared/mcp.js';
import type { Params } from '../shared/jsonrpc.js';

/** What the MCP client told the bridge in `initialize`. */
export interface ClientHello {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: Implementation;
}

/** The way back to the MCP client, for messages a backend starts. */
export interface ClientChannel {
  notify(method: string, params?: Params): void;
  /** Sends a request to the client; rejects with RpcError when the client answers with an error. */
  request(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params>;
}

export interface CallContext {
  /** Aborts when the client cancels the call or the bridge shuts down. */
  signal: AbortSignal;
  /** The client's progress token, if it asked for progress. */
  progressToken?: string | number;
  sendProgress(params: ProgressParams): void;
}

/**
 * Where tools come from: the gateway's own MCP server (relay) or, for older gateways, tools
 * served here over its REST API. The stdio server only ever talks to this interface.
 */
export interface Backend {
  readonly kind: 'mcp' | 'rest';
  listTools(signal: AbortSignal): Promise<Tool[]>;
  /** Resolves with the tool result (failures included, as isError results); rejects with RpcError for protocol faults. */
  callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult>;
  /** Client requests the bridge does not interpret (logging/setLevel). */
  forward(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params>;
  /** Client notifications the backend may care about (roots/list_changed). */
  notify(method: string, params: Params | undefined): void;
  close(): Promise<void>;
}

export type BackendFactory = (hello: ClientHello, client: ClientChannel) => Promise<Backend>;

/** `--backend`: auto uses the gateway's /api/mcp; rest serves tools here over the REST API. */
export const BACKEND_CHOICES = ['auto', 'mcp', 'rest'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
