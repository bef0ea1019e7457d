import { Command } from 'commander';

import { createVault, resolveTarget, resolveToken, type Target } from '../app/settings.js';
import { gatewayFetch, tlsFor } from '../app/tls.js';
import { freshOf, isOAuth, storedTokenReloader } from '../app/token-refresh.js';
import { McpHttp } from '../bridge/relay/mcp-http.js';
import { UpstreamSession } from '../bridge/relay/session.js';
import { describeDrift, diff, PinStore } from '../bridge/pins.js';
import { Credentials } from '../gateway/credentials.js';
import type { FetchLike } from '../gateway/http.js';
import { RestClient } from '../gateway/rest.js';
import { fetchGatewayVersion, fetchIdentity } from '../gateway/identity.js';
import { ExitError, GatewayError, errorMessage } from '../shared/errors.js';
import { jwtClaims, jwtExpiry } from '../shared/jwt.js';
import { createLogger } from '../shared/log.js';
import { LATEST_PROTOCOL_VERSION, ListToolsResultSchema } from '../shared/mcp.js';
import { Redactor } from '../shared/redact.js';
import { USER_AGENT, VERSION } from '../shared/version.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';

/** Exit codes scripts can use. */
export const STATUS_EXIT = { ok: 0, notLoggedIn: 3, unreachable: 4 } as const;

export interface StatusReport {
  profile: string;
  gateway: string | null;
  loggedIn: boolean;
  user: { email: string; name?: string; groups: string[] } | null;
  /** `oauth` only for MCP OAuth logins: serve refreshes those itself while the refresh token lasts. */
  credential: { store: 'env' | 'keychain' | 'file'; expiresAt: string | null; oauth?: { refreshToken: boolean; issuer: string | null } } | null;
  gatewayVersion: string | null;
  backend: 'mcp' | 'rest' | null;
  tools: number | null;
  /** Tools whose definition changed (or that vanished) since `hoop-mcp tools accept`; null when not checked. */
  toolChanges: { changed: string[]; removed: string[] } | null;
  problem: string | null;
}

export interface StatusOptions {
  target: Target;
  json: boolean;
  fetch: FetchLike;
  out: { write(s: string): unknown };
}

/** The flags of `status` and `doctor`: which gateway to check, and how to print. */
export interface CheckFlags extends TargetFlags {
  json?: boolean;
}

export function addCheckOptions(cmd: Command): Command {
  return addTargetOptions(cmd).option('--json', 'print one JSON object');
}

export function createStatusCommand(runF: (opts: StatusOptions) => Promise<void> = runStatus): Command {
  return addCheckOptions(new Command('status'))
    .description('show the gateway, profile, user, where the credential is, and what the bridge would serve')
    .action(async (flags: CheckFlags) => {
      const target = await resolveTarget(flags);
      await runF({ target, json: flags.json === true, fetch: await gatewayFetch(tlsFor(target, flags.caFile)), out: process.stdout });
    });
}

export async function runStatus(opts: StatusOptions): Promise<void> {
  const report = await collectStatus(opts);
  opts.out.write(opts.json ? `${JSON.stringify(report)}\n` : render(report));
  const code = report.loggedIn ? STATUS_EXIT.ok : report.problem?.startsWith('unreachable') === true ? STATUS_EXIT.unreachable : STATUS_EXIT.notLoggedIn;
  if (code !== STATUS_EXIT.ok) throw new ExitError(code);
}

/** Everything `status` reports; `doctor` builds its token, store and backend checks on it. */
export async function collectStatus(opts: Pick<StatusOptions, 'target' | 'fetch'>): Promise<StatusReport> {
  const { target } = opts;
  const report: StatusReport = {
    profile: target.profile,
    gateway: target.gateway?.base ?? null,
    loggedIn: false,
    user: null,
    credential: null,
    gatewayVersion: null,
    backend: null,
    tools: null,
    toolChanges: null,
    problem: null,
  };
  if (target.gateway === undefined) return { ...report, problem: 'not logged in: no gateway configured; run: npx hoop-mcp login' };
  const resolved = await resolveToken(target, createVault(target.home)).catch(() => undefined);
  if (resolved === undefined) return { ...report, problem: `not logged in to ${target.gateway.base}; run: npx hoop-mcp login` };
  const { credential } = resolved;
  const oauth = credential?.source === 'oauth' || credential?.source === 'refreshed' || isOAuth(credential);
  const redactor = new Redactor();
  redactor.add(credential?.refreshToken);
  const credentials = new Credentials(redactor);
  credentials.use(resolved.token, resolved.origin, credential !== undefined ? freshOf(credential) : undefined);
  const logger = createLogger({ level: 'error', redactor, stderr: { write: () => true } });
  if (resolved.origin !== 'env') {
    const vault = createVault(target.home);
    credentials.setReloader(storedTokenReloader({ target, vault, env: process.env, fetch: async () => opts.fetch, secret: (v) => redactor.add(v), warn: () => undefined }));
  }
  const requester = { gateway: target.gateway.base, fetch: opts.fetch, credentials, userAgent: USER_AGENT, logger };
  const rest = new RestClient({ ...requester, base: target.gateway.base });
  if (oauth) {
    // MCP OAuth tokens are bound to /api/mcp (hoop's REST routes keep their own auth): the MCP probe is the check.
    await credentials.freshen();
    const claims = jwtClaims(credentials.current() ?? '');
    report.credential = {
      store: resolved.origin,
      expiresAt: credentialExpiry(credentials.current(), credential?.expiresAt),
      oauth: { refreshToken: credential?.refreshToken !== undefined, issuer: typeof claims?.iss === 'string' ? claims.iss : null },
    };
    if (credential?.user !== undefined) report.user = { ...credential.user, groups: Array.isArray(claims?.groups) ? claims.groups.filter((g): g is string => typeof g === 'string') : [] };
    await probeBackend(report, new McpHttp({ ...requester, endpoint: target.gateway.mcpEndpoint }), logger, new PinStore(target.home, target.gateway.base));
    report.loggedIn = report.backend === 'mcp';
    if (report.problem !== null && /rejected the token|not logged in/.test(report.problem)) report.problem = `not logged in: ${report.problem}`;
    return report;
  }
  report.credential = { store: resolved.origin, expiresAt: credentialExpiry(resolved.token, credential?.expiresAt) };
  try {
    report.user = await fetchIdentity(rest, AbortSignal.timeout(15_000));
    report.loggedIn = true;
  } catch (err) {
    return { ...report, problem: describe(err) };
  }
  report.gatewayVersion = (await fetchGatewayVersion(rest, AbortSignal.timeout(10_000))) ?? null;
  await probeBackend(report, new McpHttp({ ...requester, endpoint: target.gateway.mcpEndpoint }), logger, new PinStore(target.home, target.gateway.base));
  return report;
}

/** What `serve --backend auto` would do: /api/mcp if the gateway answers MCP there, else REST. */
async function probeBackend(report: StatusReport, http: McpHttp, logger: ReturnType<typeof createLogger>, pins: PinStore): Promise<void> {
  let session: UpstreamSession | undefined;
  try {
    session = await UpstreamSession.open({
      http,
      protocolVersion: LATEST_PROTOCOL_VERSION,
      capabilities: {},
      clientInfo: { name: `hoop-mcp status`, version: VERSION },
      handlers: { onNotification: () => undefined, onRequest: async () => ({}) },
      logger,
      signal: AbortSignal.timeout(15_000),
    });
    const listed = ListToolsResultSchema.safeParse(await session.request('tools/list', undefined, AbortSignal.timeout(15_000)));
    report.backend = 'mcp';
    report.tools = listed.success ? listed.data.tools.length : null;
    // read only: status never records pins, so it cannot accept a change by looking at it
    const pinned = listed.success ? await pins.load().catch(() => undefined) : undefined;
    if (pinned !== undefined && listed.success) {
      const { changed, removed } = diff(pinned.tools, listed.data.tools);
      report.toolChanges = { changed, removed };
    }
  } catch (err) {
    if (err instanceof GatewayError && err.kind === 'mcp-unavailable') {
      const { allTools } = await import('../tools/index.js');
      report.backend = 'rest';
      report.tools = allTools().length;
    } else {
      report.problem = `could not list tools: ${errorMessage(err)}`;
    }
  } finally {
    await session?.close();
  }
}

function credentialExpiry(token: string | undefined, stored: string | undefined): string | null {
  return stored ?? (token !== undefined ? jwtExpiry(token)?.toISOString() : undefined) ?? null;
}

function describe(err: unknown): string {
  if (err instanceof GatewayError) {
    if (err.kind === 'unauthorized' || err.kind === 'not-logged-in') return `not logged in: ${err.message}`;
    if (err.kind === 'unreachable' || err.kind === 'tls' || err.kind === 'timeout' || err.kind === 'server-error' || err.kind === 'interrupted') {
      return `unreachable: ${err.message}`;
    }
  }
  return `unreachable: ${errorMessage(err)}`;
}

function render(r: StatusReport): string {
  const rows: Array<[string, string]> = [
    ['Profile', r.profile],
    ['Gateway', r.gateway === null ? '(none)' : `${r.gateway}${r.gatewayVersion ? ` (hoop ${r.gatewayVersion})` : ''}`],
  ];
  if (r.user) rows.push(['User', `${r.user.name ? `${r.user.name} <${r.user.email}>` : r.user.email}${r.user.groups.length ? ` · groups: ${r.user.groups.join(', ')}` : ''}`]);
  if (r.credential) {
    const where = r.credential.store === 'env' ? '$HOOP_TOKEN' : r.credential.store === 'keychain' ? 'OS keychain' : 'credentials file (no keychain)';
    const oauth = r.credential.oauth ? ` · MCP OAuth${r.credential.oauth.issuer ? ` (${r.credential.oauth.issuer})` : ''}${r.credential.oauth.refreshToken ? ', refreshed automatically' : ', no refresh token: log in again when it expires'}` : '';
    rows.push(['Credential', `${where}${r.credential.expiresAt ? ` · expires ${r.credential.expiresAt}` : ''}${oauth}`]);
  }
  if (r.backend) rows.push(['Backend', `${r.backend === 'mcp' ? 'mcp (the gateway\'s /api/mcp)' : 'rest (tools served by hoop-mcp)'}${r.tools !== null ? ` · ${r.tools} tools` : ''}`]);
  if (r.toolChanges && (r.toolChanges.changed.length > 0 || r.toolChanges.removed.length > 0)) {
    rows.push(['Tools', `changed since accepted: ${describeDrift({ ...r.toolChanges, added: [] })}; review with \`npx hoop-mcp tools\`, then run \`npx hoop-mcp tools accept\``]);
  }
  if (r.problem) rows.push(['Problem', r.problem]);
  return `${rows.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n')}\n`;
}
