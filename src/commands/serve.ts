import type { Readable, Writable } from 'node:stream';

import { Command, Option } from 'commander';

import { createLogger, LOG_LEVELS, type LogLevel } from '../shared/log.js';
import { gatewayFetch, INSECURE_WARNING, tlsFor, type TlsSettings } from '../app/tls.js';
import { createVault, DEFAULT_TIMEOUT_SECONDS, parseLogLevel, parseTimeout, resolveTarget, resolveToken, storeRotatedToken, type Target } from '../app/settings.js';
import { freshOf, storedTokenReloader } from '../app/token-refresh.js';
import { Credentials, type TokenOrigin } from '../gateway/credentials.js';
import { BACKEND_CHOICES, type BackendChoice, type ClientChannel } from '../bridge/backend.js';
import { backendFactory, governed } from '../bridge/backends.js';
import { describePolicy, isOpen, type Policy } from '../bridge/policy.js';
import { BridgeServer } from '../bridge/server.js';
import { StdioPeer } from '../bridge/stdio-peer.js';
import { errorMessage } from '../shared/errors.js';
import { Redactor } from '../shared/redact.js';
import { USER_AGENT, VERSION } from '../shared/version.js';
import { addGovernanceOptions, governanceFor, resolvePolicy, type GovernanceFlags } from './governance.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';

export interface ServeOptions {
  target: Target;
  tls: TlsSettings;
  backend: BackendChoice;
  timeoutMs: number;
  logLevel: LogLevel;
  logFile: string | undefined;
  policy: Policy;
  pinTools: boolean;
  io: { stdin: Readable; stdout: Writable };
  env: NodeJS.ProcessEnv;
  /** Ends the process; injected so tests can watch it. */
  exit: (code: number) => void;
}

interface ServeFlags extends GovernanceFlags, TargetFlags {
  backend: string;
  timeout?: string;
  logLevel?: string;
  logFile?: string;
}

/** The serve flags. */
export function addServeOptions(cmd: Command): Command {
  return addTargetOptions(addGovernanceOptions(cmd))
    .addOption(new Option('--backend <kind>', 'auto: the gateway\'s /api/mcp; mcp: only that; rest: tools over the REST API').choices(BACKEND_CHOICES).default('auto'))
    .option('--timeout <seconds>', 'give up on a call after this long without progress', String(DEFAULT_TIMEOUT_SECONDS))
    .addOption(new Option('--log-level <level>', 'log verbosity (default: $HOOP_MCP_LOG_LEVEL or info)').choices(LOG_LEVELS))
    .option('--log-file <path>', 'append logs to this file instead of stderr');
}

export async function serveOptionsFromFlags(flags: ServeFlags, env: NodeJS.ProcessEnv = process.env): Promise<Omit<ServeOptions, 'io' | 'exit' | 'env'>> {
  const backend = flags.backend as BackendChoice;
  const target = await resolveTarget(flags, env);
  return {
    target,
    tls: tlsFor(target, flags.caFile, env),
    backend,
    timeoutMs: parseTimeout(flags.timeout),
    logLevel: parseLogLevel(flags.logLevel, env),
    logFile: flags.logFile,
    ...resolvePolicy(flags, target),
  };
}

export function createServeCommand(runF: (opts: ServeOptions) => Promise<void> = runServe): Command {
  return addServeOptions(new Command('serve'))
    .description('run the MCP server on stdio (what MCP clients launch)')
    .action(async (flags: ServeFlags) => {
      await runF({ ...(await serveOptionsFromFlags(flags)), io: { stdin: process.stdin, stdout: process.stdout }, env: process.env, exit: (code) => process.exit(code) });
    });
}

/**
 * Runs the stdio bridge until the client goes away. stdout carries JSON-RPC only: every human
 * word goes through the logger (stderr or --log-file).
 */
export async function runServe(opts: ServeOptions): Promise<void> {
  const redactor = new Redactor();
  const logger = createLogger({ level: opts.logLevel, redactor, ...(opts.logFile !== undefined ? { file: opts.logFile } : {}) });
  const credentials = new Credentials(redactor);
  const { target } = opts;
  const vault = createVault(target.home);
  // One dispatcher for every token refresh of this process, built on the first one.
  let refreshFetch: ReturnType<typeof gatewayFetch> | undefined;
  // Read in parallel with the handshake: `initialize` never waits for the keychain.
  const credentialsReady = resolveToken(target, vault, opts.env).then(
    (resolved) => {
      if (resolved?.origin !== 'env') {
        credentials.setReloader(
          storedTokenReloader({
            target,
            vault,
            env: opts.env,
            // serve never opens a browser: a refused refresh ends in "run: npx hoop-mcp login"
            fetch: () => (refreshFetch ??= gatewayFetch(opts.tls)),
            secret: (value) => redactor.add(value),
            warn: (message) => logger.warn(message),
          }),
        );
      }
      if (resolved === undefined) return;
      const { credential } = resolved;
      redactor.add(credential?.refreshToken);
      credentials.use(resolved.token, resolved.origin, credential !== undefined ? freshOf(credential) : undefined);
      if (resolved.origin === 'env' || credential === undefined) return;
      const store = resolved.origin;
      credentials.onRotate((token) => {
        storeRotatedToken(target, vault, credential, store, token).catch((err: unknown) => logger.warn(`could not store the rotated token: ${errorMessage(err)}`));
      });
    },
    (err: unknown) => logger.warn(`could not read the stored credential: ${errorMessage(err)}`),
  );

  // The peer is created below; the backend only uses this channel after the client has spoken.
  const client: ClientChannel = {
    notify: (method, params) => peer.notify(method, params),
    request: (method, params, signal) => peer.request(method, params, signal),
  };
  const server = new BridgeServer({
    serverInfo: { name: 'hoop-mcp', version: VERSION },
    client,
    logger,
    createBackend: governed(backendFactory({
      gateway: target.gateway,
      backend: opts.backend,
      credentials,
      credentialsReady,
      tls: opts.tls,
      timeoutMs: opts.timeoutMs,
      home: target.home,
      logger,
      bridgeVersion: VERSION,
      userAgent: USER_AGENT,
    }), governanceFor(target, opts, logger)),
  });

  let stopping = false;
  const stop = async (why: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.debug(`shutting down: ${why}`);
    await peer.idle(2_000);
    peer.abortAll('hoop-mcp is shutting down');
    await Promise.race([server.close().catch((err: unknown) => logger.debug(errorMessage(err))), new Promise((r) => setTimeout(r, 3_000).unref())]);
    await Promise.race([peer.flush(), new Promise((r) => setTimeout(r, 2_000).unref())]);
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
  nonBlocking(opts.io.stdout);
  peer.start();
  const where = target.gateway?.base ?? 'no gateway configured (run: npx hoop-mcp login, or pass --gateway)';
  logger.info(`hoop-mcp ${VERSION} on stdio; profile ${target.profile}; gateway ${where}`);
  if (opts.tls.insecure) logger.warn(INSECURE_WARNING);
  if (!isOpen(opts.policy) || opts.pinTools) logger.info(`local tool policy: ${describePolicy(opts.policy)}${opts.pinTools ? '; pinned tools' : ''}`);
  void credentialsReady.then(() => logger.info(credentials.current() !== undefined ? `using the token from ${describeOrigin(credentials.origin)}` : 'no token: run `npx hoop-mcp login` (or set HOOP_TOKEN)'));
}

function describeOrigin(origin: TokenOrigin): string {
  return origin === 'env' ? '$HOOP_TOKEN' : origin === 'keychain' ? 'the OS keychain' : origin === 'file' ? 'the credentials file (no keychain here)' : 'nowhere';
}

/**
 * Node makes pipes to stdout blocking, so a client that reads slowly stalls the whole bridge
 * (every call in flight waits on one write). Writes queue instead; `stop` flushes before exit.
 */
function nonBlocking(stream: Writable): void {
  const handle: unknown = (stream as { _handle?: unknown })._handle;
  if (typeof handle === 'object' && handle !== null && 'setBlocking' in handle && typeof handle.setBlocking === 'function') handle.setBlocking(false);
}
