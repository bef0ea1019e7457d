import type { Readable, Writable } from 'node:stream';

import { Command, Option } from 'commander';

import { createLogger, LOG_LEVELS, type LogLevel } from '../shared/log.js';
import { parseLogLevel, parseTimeout, resolveGatewaySettings } from '../app/settings.js';
import { Credentials } from '../gateway/credentials.js';
import { BACKEND_CHOICES, type BackendChoice, type ClientChannel } from '../bridge/backend.js';
import { backendFactory } from '../bridge/backends.js';
import { BridgeServer } from '../bridge/server.js';
import { StdioPeer } from '../bridge/stdio-peer.js';
import type { GatewayUrl } from '../gateway/url.js';
import { UsageError, errorMessage } from '../shared/errors.js';
import { Redactor } from '../shared/redact.js';
import { USER_AGENT, VERSION } from '../shared/version.js';

export interface ServeOptions {
  gateway: GatewayUrl | undefined;
  token: string | undefined;
  backend: BackendChoice;
  timeoutMs: number;
  logLevel: LogLevel;
  logFile: string | undefined;
  home: string;
  io: { stdin: Readable; stdout: Writable };
  /** Ends the process; injected so tests can watch it. */
  exit: (code: number) => void;
}

interface ServeFlags {
  gateway?: string;
  backend: string;
  timeout?: string;
  logLevel?: string;
  logFile?: string;
  allowHttp?: boolean;
}

/** The serve flags; the root command carries them too, since `hoop-mcp` alone means `hoop-mcp serve`. */
export function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--gateway <url>', 'Hoop gateway base URL (default: $HOOP_APIURL)')
    .addOption(new Option('--backend <kind>', 'auto: the gateway\'s /api/mcp; mcp: only that; rest: tools over the REST API').choices(BACKEND_CHOICES).default('auto'))
    .option('--timeout <seconds>', 'give up on a call after this long without progress', '120')
    .addOption(new Option('--log-level <level>', 'log verbosity (default: $HOOP_MCP_LOG_LEVEL or info)').choices(LOG_LEVELS))
    .option('--log-file <path>', 'append logs to this file instead of stderr')
    .option('--allow-http', 'allow plain http to a non-loopback gateway (your token travels unencrypted)');
}

export function serveOptionsFromFlags(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): Omit<ServeOptions, 'io' | 'exit'> {
  const backend = flags.backend as BackendChoice;
  if (backend === 'rest') {
    throw new UsageError('the REST backend is not available in this version of hoop-mcp; use --backend auto or mcp');
  }
  return {
    ...resolveGatewaySettings(flags, env),
    backend,
    timeoutMs: parseTimeout(flags.timeout),
    logLevel: parseLogLevel(flags.logLevel, env),
    logFile: flags.logFile,
  };
}

export function createServeCommand(runF: (opts: ServeOptions) => Promise<void> = runServe): Command {
  return addServeOptions(new Command('serve'))
    .description('run the MCP server on stdio (what MCP clients launch)')
    .action(async (flags: ServeFlags) => {
      await runF({ ...serveOptionsFromFlags(flags), io: { stdin: process.stdin, stdout: process.stdout }, exit: (code) => process.exit(code) });
    });
}

/**
 * Runs the stdio bridge until the client goes away. stdout carries JSON-RPC only: every human
 * word goes through the logger (stderr or --log-file).
 */
export async function runServe(opts: ServeOptions): Promise<void> {
  const redactor = new Redactor();
  const logger = createLogger({ level: opts.logLevel, redactor, ...(opts.logFile !== undefined ? { file: opts.logFile } : {}) });
  const credentials = new Credentials(opts.token, opts.token !== undefined ? 'env' : 'none', redactor);

  // The peer is created below; the backend only uses this channel after the client has spoken.
  const client: ClientChannel = {
    notify: (method, params) => peer.notify(method, params),
    request: (method, params, signal) => peer.request(method, params, signal),
  };
  const server = new BridgeServer({
    serverInfo: { name: 'hoop-mcp', version: VERSION },
    client,
    logger,
    createBackend: backendFactory({
      gateway: opts.gateway,
      backend: opts.backend,
      credentials,
      timeoutMs: opts.timeoutMs,
      home: opts.home,
      logger,
      bridgeVersion: VERSION,
      userAgent: USER_AGENT,
    }),
  });

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.debug(`shutting down: ${why}`);
    await peer.idle(2_000);
    peer.abortAll('hoop-mcp is shutting down');
    await Promise.race([server.close().catch((err: unknown) => logger.debug(errorMessage(err))), new Promise((r) => setTimeout(r, 3_000).unref())]);
    logger.close();
    opts.exit(0);
  };

  const peer = new StdioPeer({
    input: opts.io.stdin,
    output: opts.io.stdout,
    logger,
    redactor,
    handlers: {
      onRequest: (request, signal) => server.handleRequest(request, signal),
      onNotification: (notification) => server.handleNotification(notification),
      onClose: () => void stop('the client closed stdin'),
    },
  });
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  peer.start();
  const target = opts.gateway?.base ?? 'no gateway configured (pass --gateway or set HOOP_APIURL)';
  const who = credentials.current() !== undefined ? `token from $HOOP_TOKEN` : 'no token (run: npx hoop-mcp login, or set HOOP_TOKEN)';
  logger.info(`hoop-mcp ${VERSION} on stdio; gateway ${target}; ${who}`);
}
