import { resolve } from 'node:path';

import { Command, Option } from 'commander';

import { rememberProfile } from '../app/config.js';
import { createVault, resolveTarget, type Target } from '../app/settings.js';
import { gatewayFetch, INSECURE_WARNING, tlsFor } from '../app/tls.js';
import { DEFAULT_CALLBACK_PORT } from '../auth/browser-login.js';
import { readHoopCliLogin } from '../auth/hoop-cli-config.js';
import { createLoginService, type LoginService } from '../auth/login.js';
import type { StoreChoice } from '../auth/vault.js';
import { ExitError, UsageError } from '../shared/errors.js';
import { createLogger } from '../shared/log.js';
import type { LoginResult } from '../shared/login.js';
import { Redactor } from '../shared/redact.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';
import { tuiUnavailable } from './tui.js';
import { USER_AGENT } from '../shared/version.js';

export interface LoginOptions {
  target: Target;
  service: LoginService;
  /** What to do: a secret from stdin, the hoop CLI's login, or the interactive TUI. */
  mode: { kind: 'stdin'; secret: 'token' | 'api-key' } | { kind: 'hoop-cli' } | { kind: 'oauth' } | { kind: 'interactive' };
  io: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream; stderr: { write(s: string): unknown } };
}

interface LoginFlags extends TargetFlags {
  tokenStdin?: boolean;
  apiKeyStdin?: boolean;
  fromHoopCli?: boolean;
  oauth?: boolean;
  clientId?: string;
  callbackPort?: string;
  browser: boolean;
  credentialStore: StoreChoice;
}

export function createLoginCommand(runF: (opts: LoginOptions) => Promise<void> = runLogin): Command {
  return addTargetOptions(new Command('login'), 'store this login under a profile (default: $HOOP_MCP_PROFILE, else "default")')
    .description('sign in to a Hoop gateway and keep the credential in the OS keychain')
    .option('--token-stdin', 'read a Hoop token from stdin (scripts, CI)')
    .option('--api-key-stdin', 'read an API key (hpk_…) from stdin')
    .option('--from-hoop-cli', 'move the login of hoop\'s own CLI (~/.hoop/config.toml) into the keychain')
    .option('--oauth', 'sign in with the gateway\'s MCP OAuth without the interactive screens (prints the URL on stderr and waits)')
    .option('--client-id <id>', 'MCP OAuth: use this client instead of registering one')
    .option('--callback-port <port>', 'MCP OAuth: the browser comes back to http://127.0.0.1:<port>/callback (default: a port the OS picks), for an IdP that wants a fixed redirect URI')
    .option('--no-browser', 'print the sign-in URL instead of opening a browser (SSH sessions)')
    .addOption(new Option('--credential-store <store>', 'where to keep the credential').choices(['auto', 'keychain', 'file']).default('auto'))
    .action(async (flags: LoginFlags) => {
      const sources = [flags.tokenStdin, flags.apiKeyStdin, flags.fromHoopCli, flags.oauth].filter((f) => f === true).length;
      if (sources > 1) throw new UsageError('use only one of --token-stdin, --api-key-stdin, --from-hoop-cli and --oauth');
      const oauthCallbackPort = flags.callbackPort !== undefined ? portNumber(flags.callbackPort) : undefined;
      const target = await resolveTarget(flags);
      const mode: LoginOptions['mode'] = flags.tokenStdin
        ? { kind: 'stdin', secret: 'token' }
        : flags.apiKeyStdin
          ? { kind: 'stdin', secret: 'api-key' }
          : flags.fromHoopCli
            ? { kind: 'hoop-cli' }
            : flags.oauth
              ? { kind: 'oauth' }
              : { kind: 'interactive' };
      const noTui = mode.kind === 'interactive' ? tuiUnavailable() : undefined;
      if (noTui !== undefined) throw new UsageError(`login ${noTui}; in scripts use: hoop-mcp login --gateway <url> --token-stdin (or --api-key-stdin)`);
      if ((mode.kind === 'stdin' || mode.kind === 'oauth') && target.gateway === undefined) throw new UsageError('which gateway? pass --gateway <url> or set HOOP_APIURL');
      const tls = tlsFor(target, flags.caFile);
      const stderr = process.stderr;
      if (tls.insecure) stderr.write(`hoop-mcp: warning: ${INSECURE_WARNING}\n`);
      const service = createLoginService({
        profile: target.profile,
        fetch: await gatewayFetch(tls),
        vault: createVault(target.home),
        storeChoice: flags.credentialStore,
        // Silent while the TUI owns the terminal: a stray line would garble its frames.
        logger: createLogger({ level: 'error', redactor: new Redactor(), stderr: mode.kind === 'interactive' ? { write: () => true } : stderr }),
        userAgent: USER_AGENT,
        allowHttp: flags.allowHttp === true,
        openBrowser: flags.browser,
        callbackPort: Number(process.env.HOOP_MCP_LOGIN_CALLBACK_PORT ?? DEFAULT_CALLBACK_PORT),
        ...(flags.clientId !== undefined ? { oauthClientId: flags.clientId } : {}),
        ...(oauthCallbackPort !== undefined ? { oauthCallbackPort } : {}),
        rememberProfile: (profile, gateway, store) =>
          rememberProfile(target.home, profile, { gateway, credentialStore: store, ...(flags.caFile !== undefined ? { caFile: resolve(flags.caFile) } : {}) }),
      });
      await runF({ target, service, mode, io: { stdin: process.stdin, stdout: process.stdout, stderr } });
    });
}

export async function runLogin(opts: LoginOptions): Promise<void> {
  const result = await signIn(opts).catch(plainly);
  if (result !== undefined) report(result, opts.io);
}

/** The result to report; undefined when the TUI has shown it. */
async function signIn(opts: LoginOptions): Promise<LoginResult | undefined> {
  const { target, service, mode, io } = opts;
  if (mode.kind === 'stdin') {
    const secret = (await readAll(io.stdin)).trim();
    if (secret === '') throw new UsageError(`no ${mode.secret === 'token' ? 'token' : 'API key'} on stdin`);
    const gateway = target.gateway?.base ?? '';
    return mode.secret === 'api-key' ? service.loginApiKey(gateway, secret) : service.finish(gateway, secret, 'token-stdin');
  }
  if (mode.kind === 'oauth') {
    const discovery = await service.discover(target.gateway?.base ?? '');
    if (discovery.oauth === undefined) throw new UsageError(`${discovery.gateway} does not offer MCP OAuth; run hoop-mcp login without --oauth`);
    const browser = await service.startBrowserLogin(discovery);
    // stdout stays for the result line: scripts read it
    io.stderr.write(`${browser.opened ? 'Opening your browser. If it does not open, use this URL' : 'Open this URL in a browser to log in'} (it comes back to ${browser.callbackUrl ?? ''}):\n${browser.url}\n`);
    return browser.result;
  }
  if (mode.kind === 'hoop-cli') {
    const found = await readHoopCliLogin();
    if (found === undefined) throw new UsageError('no login found in ~/.hoop/config.toml (needs api_url and token)');
    return service.finish(found.gateway, found.token, 'hoop-cli-import');
  }
  const found = await readHoopCliLogin();
  const { renderLogin } = await import('../tui/render-login.js');
  const result = await renderLogin({
    actions: service,
    profile: target.profile,
    ...(target.gateway !== undefined ? { defaultGateway: target.gateway.base } : {}),
    ...(found !== undefined ? { importOffer: { gateway: found.gateway, accept: () => service.finish(found.gateway, found.token, 'hoop-cli-import') } } : {}),
  });
  // The TUI has shown the outcome; a cancel exits 130, as an interrupted command does.
  if (result === undefined) throw new ExitError(130);
  return undefined;
}

/**
 * The login flows reject with plain Errors whose messages are written for people (a busy port, a
 * failed sign-in, a timeout): print them as they are, not as an "unexpected error".
 */
function plainly(err: unknown): never {
  if (err instanceof Error && err.name === 'Error') throw new ExitError(1, err.message);
  throw err;
}

/** Plain output for scripts: one line of who and where on stdout, a warning on stderr. */
function report(result: LoginResult, io: LoginOptions['io']): void {
  const groups = result.user.groups.length > 0 ? ` (groups: ${result.user.groups.join(', ')})` : '';
  io.stdout.write(`Logged in to ${result.gateway}${result.gatewayVersion ? ` (hoop ${result.gatewayVersion})` : ''} as ${result.user.email}${groups}; profile ${result.profile}.\n`);
  if (result.expiresAt !== undefined) io.stdout.write(`MCP OAuth: the access token expires at ${result.expiresAt}; hoop-mcp refreshes it by itself.\n`);
  if (result.store === 'keychain') io.stdout.write('Credential saved in the OS keychain.\n');
  else if (result.fallbackReason === undefined) io.stdout.write('Credential saved to a file readable only by you (--credential-store file).\n');
  else io.stderr.write(`hoop-mcp: warning: no keychain available (${result.fallbackReason}); credential saved to a file readable only by you.\n`);
}

function portNumber(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > 65535) throw new UsageError(`--callback-port takes a port number from 1 to 65535 (got "${raw}")`);
  return n;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
