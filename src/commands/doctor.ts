import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { Command } from 'commander';

import { resolveTarget, type Target } from '../app/settings.js';
import { keychainBackend, KeychainStore, KeychainUnavailableError } from '../auth/keychain-store.js';
import { gatewayFetch, resolveTls, type TlsSettings } from '../app/tls.js';
import { networkError } from '../gateway/errors.js';
import { proxyFor, type FetchLike } from '../gateway/http.js';
import { discard } from '../gateway/request.js';
import { ExitError, GatewayError, errorMessage } from '../shared/errors.js';
import { classifyMessage } from '../shared/jsonrpc.js';
import { LATEST_PROTOCOL_VERSION, ListToolsResultSchema } from '../shared/mcp.js';
import { VERSION } from '../shared/version.js';
import { addCheckOptions, collectStatus, type CheckFlags, type StatusReport } from './status.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do, when the status is not ok. */
  fix?: string;
}

export interface DoctorOptions {
  target: Target;
  tls: TlsSettings;
  /** Where the extra CA came from (`--ca-file <path>`, `HOOP_TLSCA`), for the TLS line. */
  caSource: string | undefined;
  json: boolean;
  fetch: FetchLike;
  env: NodeJS.ProcessEnv;
  nodeVersion: string;
  platform: NodeJS.Platform;
  /** Probed whatever the token source: HOOP_TOKEN today does not mean no keychain tomorrow. */
  keychain: Pick<KeychainStore, 'probe'>;
  /** How to start `serve` with the same target: this very bin, by default. */
  serve: { command: string; args: string[]; timeoutMs: number };
  now: () => Date;
  out: { write(s: string): unknown };
}

const MIN_NODE = [20, 18] as const;
const MAX_SKEW_MS = 5 * 60_000;
const BIN = fileURLToPath(new URL('../../bin/hoop-mcp.js', import.meta.url));

export function createDoctorCommand(runF: (opts: DoctorOptions) => Promise<void> = runDoctor): Command {
  return addCheckOptions(new Command('doctor'))
    .description('check Node, the gateway, TLS, proxy, token, credential store, backend, clock and serve; say what to fix')
    .action(async (flags: CheckFlags) => {
      const target = await resolveTarget(flags);
      const caFile = flags.caFile ?? target.config.profiles[target.profile]?.caFile;
      const tls = resolveTls({ caFile });
      // serve gets the same target, so the check runs what the MCP client would run
      const passOn = [
        ...(flags.profile !== undefined ? ['--profile', flags.profile] : []),
        ...(flags.gateway !== undefined ? ['--gateway', flags.gateway] : []),
        ...(flags.caFile !== undefined ? ['--ca-file', flags.caFile] : []),
        ...(flags.allowHttp === true ? ['--allow-http'] : []),
      ];
      await runF({
        target,
        tls,
        caSource: caFile !== undefined ? `--ca-file ${caFile}` : (process.env.HOOP_TLSCA ?? '') !== '' ? 'HOOP_TLSCA' : undefined,
        json: flags.json === true,
        fetch: await gatewayFetch(tls),
        env: process.env,
        nodeVersion: process.versions.node,
        platform: process.platform,
        keychain: new KeychainStore(),
        serve: { command: process.execPath, args: [BIN, 'serve', '--log-level', 'error', ...passOn], timeoutMs: 20_000 },
        now: () => new Date(),
        out: process.stdout,
      });
    });
}

export async function runDoctor(opts: DoctorOptions): Promise<void> {
  const checks = await collectChecks(opts);
  const ok = checks.every((c) => c.status !== 'fail');
  opts.out.write(opts.json ? `${JSON.stringify({ ok, checks })}\n` : render(checks));
  if (!ok) throw new ExitError(1);
}

export async function collectChecks(opts: DoctorOptions): Promise<Check[]> {
  const [network, serve] = await Promise.all([networkChecks(opts), serveCheck(opts)]);
  return [nodeCheck(opts.nodeVersion), ...network, serve];
}

export function nodeCheck(version: string): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
  return ok
    ? { name: 'node', status: 'ok', detail: `Node.js ${version}` }
    : { name: 'node', status: 'fail', detail: `Node.js ${version} is too old`, fix: `install Node.js ${MIN_NODE.join('.')} or newer` };
}

export interface Probe {
  status?: number;
  date?: Date;
  error?: GatewayError;
}

/** One unauthenticated request: reachability, TLS and the gateway's clock, whatever the token. */
async function probe(opts: DoctorOptions, base: string): Promise<Probe> {
  try {
    const res = await opts.fetch(new URL(`${base}/api/publicserverinfo`), { method: 'GET', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
    discard(res);
    const date = res.headers.get('date');
    const at = date === null ? undefined : new Date(date);
    return { status: res.status, ...(at !== undefined && !Number.isNaN(at.getTime()) ? { date: at } : {}) };
  } catch (err) {
    return { error: err instanceof GatewayError ? err : networkError(err, base) };
  }
}

async function networkChecks(opts: DoctorOptions): Promise<Check[]> {
  const gateway = opts.target.gateway;
  const proxy = proxyCheck(opts.env, gateway?.base);
  const keychain = keychainCheck(opts.keychain, opts.platform);
  if (gateway === undefined) {
    const fix = 'run: npx hoop-mcp login (or pass --gateway <url>, or set HOOP_APIURL)';
    const skipped = (name: string): Check => ({ name, status: 'warn', detail: 'not checked: no gateway', fix: 'fix the gateway check first' });
    return [{ name: 'gateway', status: 'fail', detail: `no gateway configured for profile "${opts.target.profile}"`, fix }, skipped('tls'), proxy, skipped('token'), skipped('credential store'), await keychain, skipped('backend'), skipped('clock')];
  }
  const [p, report, keychainResult] = await Promise.all([probe(opts, gateway.base), collectStatus(opts), keychain]);
  const unreachable = p.error !== undefined;
  const notChecked = (name: string, why: string): Check => ({ name, status: 'warn', detail: `not checked: ${why}`, fix: 'fix the gateway check first' });
  return [
    unreachable
      ? { name: 'gateway', status: 'fail', detail: p.error?.message ?? '', fix: p.error?.kind === 'tls' ? 'see the TLS check' : 'check the URL (--gateway, HOOP_APIURL or the profile), your network, VPN and proxy' }
      : { name: 'gateway', status: 'ok', detail: `${gateway.base} answered (HTTP ${p.status ?? 0})${report.gatewayVersion !== null ? `, hoop ${report.gatewayVersion}` : ''}` },
    tlsCheck(opts, gateway.base, p),
    proxy,
    tokenCheck(report, opts.now()),
    storeCheck(report),
    keychainResult,
    unreachable ? notChecked('backend', 'gateway unreachable') : backendCheck(report),
    unreachable ? notChecked('clock', 'gateway unreachable') : clockCheck(p, opts.now()),
  ];
}

function tlsCheck(opts: DoctorOptions, base: string, p: Probe): Check {
  if (base.startsWith('http://')) {
    return opts.target.gateway?.loopback === true
      ? { name: 'tls', status: 'ok', detail: 'plain http to a loopback gateway' }
      : { name: 'tls', status: 'warn', detail: 'plain http (--allow-http): the token crosses the network unencrypted', fix: 'use the gateway\'s https:// address' };
  }
  if (p.error?.kind === 'tls') {
    return { name: 'tls', status: 'fail', detail: p.error.message, fix: 'trust the CA that signed the gateway\'s certificate: --ca-file <pem>, HOOP_TLSCA, or NODE_EXTRA_CA_CERTS' };
  }
  if (opts.tls.insecure) {
    return { name: 'tls', status: 'warn', detail: 'HOOP_TLS_SKIP_VERIFY=true: certificates are NOT verified', fix: 'unset HOOP_TLS_SKIP_VERIFY and trust the gateway\'s CA with --ca-file or HOOP_TLSCA' };
  }
  const extra = [opts.caSource, (opts.env.NODE_EXTRA_CA_CERTS ?? '') !== '' ? 'NODE_EXTRA_CA_CERTS' : undefined].filter((s) => s !== undefined);
  return { name: 'tls', status: 'ok', detail: `certificate verified against the system CAs${extra.length > 0 ? ` and ${extra.join(', ')}` : ''}` };
}

/** What the dispatcher does (proxyFor mirrors undici), not what the variables seem to say. */
function proxyCheck(env: NodeJS.ProcessEnv, base: string | undefined): Check {
  const configured = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'].map((n) => env[n]).find((v) => v !== undefined && v !== '');
  if (configured === undefined) return { name: 'proxy', status: 'ok', detail: 'no proxy (HTTPS_PROXY, HTTP_PROXY unset)' };
  // without a gateway, judge as for the usual https:// one
  const url = new URL(base ?? 'https://gateway.invalid');
  const noProxy = env.no_proxy ?? env.NO_PROXY ?? '';
  const via = proxyFor(url, env);
  if (via === undefined) {
    const ignoringNoProxy = proxyFor(url, { ...env, no_proxy: '' });
    return ignoringNoProxy === undefined
      ? { name: 'proxy', status: 'ok', detail: `direct: an http:// gateway does not use HTTPS_PROXY (${redactUrl(configured)})` }
      : { name: 'proxy', status: 'ok', detail: `direct: the gateway is exempt from ${redactUrl(ignoringNoProxy)} (NO_PROXY=${noProxy})` };
  }
  const detail = `through ${redactUrl(via)}${noProxy !== '' ? ` (NO_PROXY=${noProxy})` : ''}`;
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) {
    return { name: 'proxy', status: 'warn', detail: `${detail}; the loopback gateway goes through it too`, fix: 'add localhost,127.0.0.1 to NO_PROXY' };
  }
  return { name: 'proxy', status: 'ok', detail };
}

/** A proxy URL may carry a password. */
function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.username !== '' || url.password !== '') {
      url.username = '***';
      url.password = '';
    }
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

function tokenCheck(r: StatusReport, now: Date): Check {
  const login = 'run: npx hoop-mcp login';
  if (r.credential === null) return { name: 'token', status: 'fail', detail: 'no token: nothing stored for this profile and gateway, HOOP_TOKEN unset', fix: `${login} (or set HOOP_TOKEN)` };
  if (!r.loggedIn) {
    if (r.problem?.startsWith('not logged in') === true) return { name: 'token', status: 'fail', detail: `rejected by the gateway (${r.problem})`, fix: login };
    return { name: 'token', status: 'warn', detail: 'not checked: the gateway did not answer', fix: 'fix the gateway check first' };
  }
  const who = r.user !== null ? `${r.user.email}${r.user.groups.length > 0 ? ` (groups: ${r.user.groups.join(', ')})` : ''}` : 'accepted';
  if (r.credential.expiresAt === null) return { name: 'token', status: 'ok', detail: `${who}; no expiry in the token` };
  const left = Date.parse(r.credential.expiresAt) - now.getTime();
  const when = `expires ${r.credential.expiresAt} (in ${Math.max(0, Math.round(left / 60_000))} min)`;
  if (left < 60 * 60_000) return { name: 'token', status: 'warn', detail: `${who}; ${when}`, fix: `${login} again soon` };
  return { name: 'token', status: 'ok', detail: `${who}; ${when}` };
}

function storeCheck(r: StatusReport): Check {
  switch (r.credential?.store) {
    case 'env':
      return { name: 'credential store', status: 'ok', detail: 'HOOP_TOKEN from the environment (wins over any stored credential)' };
    case 'keychain':
      return { name: 'credential store', status: 'ok', detail: 'OS keychain' };
    case 'file':
      return {
        name: 'credential store',
        status: 'warn',
        detail: 'credentials file (mode 0600): no OS keychain was reachable at login',
        fix: 'start a keychain (on Linux: gnome-keyring or KeePassXC\'s Secret Service), then run: npx hoop-mcp login --credential-store keychain',
      };
    case undefined:
      return { name: 'credential store', status: 'warn', detail: 'no credential stored', fix: 'run: npx hoop-mcp login' };
  }
}

const FILE_STORE = 'keep the token in a 0600 file: npx hoop-mcp login --credential-store file';
const KEYCHAIN_FIX: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'unlock the login keychain (over SSH: security unlock-keychain)',
  win32: 'run hoop-mcp in your own interactive Windows session, where Credential Manager is available',
};

/** Warn, not fail: the credentials file works without a keychain, only less safely. */
export async function keychainCheck(keychain: Pick<KeychainStore, 'probe'>, platform: NodeJS.Platform): Promise<Check> {
  const backend = keychainBackend(platform);
  try {
    await keychain.probe();
    return { name: 'keychain', status: 'ok', detail: `${backend} reachable` };
  } catch (err) {
    const detail = `${backend}: ${errorMessage(err)}`;
    // the detail already says to reinstall: no backend advice for a binary that never loaded
    if (err instanceof KeychainUnavailableError && err.failed === 'module') return { name: 'keychain', status: 'warn', detail, fix: `meanwhile, ${FILE_STORE}` };
    const start = KEYCHAIN_FIX[platform] ?? 'install gnome-keyring (or turn on KeePassXC\'s Secret Service) and start it in your session';
    return { name: 'keychain', status: 'warn', detail, fix: `${start}; or ${FILE_STORE}` };
  }
}

function backendCheck(r: StatusReport): Check {
  if (r.backend === null) {
    if (r.problem?.startsWith('could not list tools') === true) return { name: 'backend', status: 'fail', detail: r.problem, fix: 'run: npx hoop-mcp status, and check the gateway\'s logs' };
    return { name: 'backend', status: 'warn', detail: 'not checked: no valid token', fix: 'fix the token check first' };
  }
  const detail = `${r.backend === 'mcp' ? 'mcp (the gateway\'s /api/mcp)' : 'rest (no /api/mcp: hoop-mcp serves the v1 tools)'} · ${r.tools ?? '?'} tools`;
  const drift = r.toolChanges !== null ? [...r.toolChanges.changed, ...r.toolChanges.removed] : [];
  if (drift.length > 0) return { name: 'backend', status: 'warn', detail: `${detail}; changed since accepted: ${drift.join(', ')}`, fix: 'review with npx hoop-mcp tools, then run: npx hoop-mcp tools accept' };
  return { name: 'backend', status: 'ok', detail };
}

export function clockCheck(p: Probe, now: Date): Check {
  if (p.date === undefined) return { name: 'clock', status: 'warn', detail: 'the gateway sent no Date header; skew unknown', fix: 'none needed unless tokens look expired early' };
  // Date has one-second resolution: compare whole seconds
  const skew = Math.round((now.getTime() - p.date.getTime()) / 1000);
  const detail = `${Math.abs(skew)} s ${skew >= 0 ? 'ahead of' : 'behind'} the gateway`;
  if (Math.abs(skew) * 1000 > MAX_SKEW_MS) return { name: 'clock', status: 'warn', detail, fix: 'sync this machine\'s clock (NTP): token expiry and review times depend on it' };
  return { name: 'clock', status: 'ok', detail };
}

/**
 * Starts `serve` as an MCP client would, sends initialize and tools/list, and checks that every
 * stdout line is JSON-RPC: one stray print there breaks every client.
 */
export function serveCheck(opts: Pick<DoctorOptions, 'serve' | 'env'>): Promise<Check> {
  const fix = 'run hoop-mcp serve by hand to see its errors, and report a bug if it writes anything but JSON-RPC';
  return new Promise((resolve) => {
    const child = spawn(opts.serve.command, opts.serve.args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (check: Check): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdin.end();
      // give it a moment to exit cleanly on stdin close, then make sure
      setTimeout(() => child.kill(), 2_000).unref();
      resolve(check);
    };
    const timer = setTimeout(() => finish({ name: 'serve', status: 'fail', detail: `no answer to initialize and tools/list within ${opts.serve.timeoutMs / 1000} s${tail(stderr)}`, fix }), opts.serve.timeoutMs);
    const send = (message: object): void => {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    };
    child.on('error', (err) => finish({ name: 'serve', status: 'fail', detail: `could not start: ${errorMessage(err)}`, fix }));
    child.on('exit', (code) => finish({ name: 'serve', status: 'fail', detail: `exited (code ${code ?? 'none'}) before answering${tail(stderr)}`, fix }));
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('utf8');
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) {
        const message = parseRpc(line);
        if (message === undefined) {
          finish({ name: 'serve', status: 'fail', detail: `wrote a line that is not JSON-RPC to stdout: ${JSON.stringify(line.slice(0, 80))}`, fix });
          return;
        }
        if (message.id === 1) {
          send({ method: 'notifications/initialized' });
          send({ id: 2, method: 'tools/list' });
        } else if (message.id === 2) {
          const tools = message.tools;
          finish({
            name: 'serve',
            status: 'ok',
            detail: `answered initialize and tools/list (${tools !== undefined ? `${tools} tools` : 'with an error, as the gateway checks above explain'}); stdout carried JSON-RPC only`,
          });
        }
      }
    });
    send({ id: 1, method: 'initialize', params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'hoop-mcp doctor', version: VERSION } } });
  });
}

function parseRpc(line: string): { id: unknown; tools?: number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const classified = classifyMessage(value);
  if (classified.kind === 'invalid') return undefined;
  const id = 'id' in classified.message ? classified.message.id : undefined;
  const result = 'result' in classified.message ? classified.message.result : undefined;
  const tools = ListToolsResultSchema.safeParse(result).data?.tools.length;
  return { id, ...(tools !== undefined ? { tools } : {}) };
}

function tail(stderr: string): string {
  const last = stderr.trim().split('\n').pop();
  return last !== undefined && last !== '' ? `: ${last.slice(0, 200)}` : '';
}

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗' };

function render(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  const lines = checks.map((c) => `${MARK[c.status]} ${c.name.padEnd(width)}  ${c.detail}${c.fix !== undefined ? ` — ${c.fix}` : ''}`);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  lines.push(failed > 0 ? `${failed} check${failed === 1 ? '' : 's'} failed.` : warned > 0 ? `No failures; ${warned} warning${warned === 1 ? '' : 's'}.` : 'All good.');
  return `${lines.join('\n')}\n`;
}
