import type { Logger } from '../shared/log.js';
import { GatewayError, errorMessage } from '../shared/errors.js';
import { ErrorCode, RpcError, type JsonRpcNotification, type JsonRpcRequest, type Params, type RawJson } from '../shared/jsonrpc.js';
import {
  CallToolParamsSchema,
  InitializeParamsSchema,
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  toolError,
  type Implementation,
} from '../shared/mcp.js';
import type { Backend, BackendFactory, ClientChannel, ClientHello } from './backend.js';

export interface BridgeServerOptions {
  serverInfo: Implementation;
  createBackend: BackendFactory;
  client: ClientChannel;
  logger: Logger;
}

const UNKNOWN_CLIENT: ClientHello = {
  protocolVersion: LATEST_PROTOCOL_VERSION,
  capabilities: {},
  clientInfo: { name: 'unknown-client', version: '0' },
};

/**
 * The MCP server the client talks to. It answers `initialize` and `ping` itself, at once and
 * whatever state the gateway is in, and hands tools to the backend, which is created (and its
 * code loaded) only after the handshake so start-up stays fast.
 */
export class BridgeServer {
  private backend: Promise<Backend> | undefined;

  constructor(private readonly opts: BridgeServerOptions) {}

  async handleRequest(request: JsonRpcRequest, signal: AbortSignal): Promise<Params | RawJson> {
    switch (request.method) {
      case 'initialize':
        return this.initialize(request.params);
      case 'ping':
        return {};
      case 'tools/list': {
        const backend = await gatewayCall(() => this.getBackend());
        return { tools: await gatewayCall(() => backend.listTools(signal)) };
      }
      case 'tools/call': {
        const parsed = CallToolParamsSchema.safeParse(request.params);
        if (!parsed.success) throw new RpcError(ErrorCode.InvalidParams, `invalid tools/call params: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
        let backend: Backend;
        try {
          backend = await this.getBackend();
        } catch (err) {
          if (err instanceof GatewayError) return toolError(err.message);
          throw err;
        }
        const progressToken = parsed.data._meta?.progressToken;
        return backend.callTool(parsed.data, {
          signal,
          ...(progressToken !== undefined ? { progressToken } : {}),
          sendProgress: (p) => this.opts.client.notify('notifications/progress', p),
        });
      }
      case 'logging/setLevel': {
        const backend = await gatewayCall(() => this.getBackend());
        return gatewayCall(() => backend.forward(request.method, request.params, signal));
      }
      default:
        throw new RpcError(ErrorCode.MethodNotFound, `method not found: ${request.method}`);
    }
  }

  handleNotification(notification: JsonRpcNotification): void {
    if (notification.method === 'notifications/initialized') return;
    void this.backend?.then((b) => b.notify(notification.method, notification.params)).catch(() => undefined);
  }

  async close(): Promise<void> {
    const backend = await this.backend?.catch(() => undefined);
    await backend?.close();
  }

  private initialize(params: Params | undefined): Params {
    const parsed = InitializeParamsSchema.safeParse(params);
    if (!parsed.success) throw new RpcError(ErrorCode.InvalidParams, `invalid initialize params: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
    const hello = parsed.data;
    const protocolVersion = (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(hello.protocolVersion) ? hello.protocolVersion : LATEST_PROTOCOL_VERSION;
    this.opts.logger.info(`client ${hello.clientInfo.name} ${hello.clientInfo.version} connected (protocol ${protocolVersion})`);
    this.backend ??= this.create({ protocolVersion, capabilities: hello.capabilities, clientInfo: hello.clientInfo });
    return {
      protocolVersion,
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: this.opts.serverInfo,
    };
  }

  private getBackend(): Promise<Backend> {
    this.backend ??= this.create(UNKNOWN_CLIENT);
    return this.backend;
  }

  private create(hello: ClientHello): Promise<Backend> {
    const created = this.opts.createBackend(hello, this.opts.client);
    created.catch((err: unknown) => this.opts.logger.error(`could not start the gateway backend: ${errorMessage(err)}`));
    return created;
  }
}

/** Gateway failures on non-tool requests become JSON-RPC errors whose message says what to do. */
async function gatewayCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GatewayError) throw new RpcError(ErrorCode.GatewayError, err.message, { kind: err.kind });
    throw err;
  }
}
