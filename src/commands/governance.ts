import type { Command } from 'commander';

import { AuditLog } from '../app/audit-log.js';
import { configPath, type Profile } from '../app/config.js';
import { createVault, resolveToken, type Target } from '../app/settings.js';
import type { TlsSettings } from '../app/tls.js';
import type { Backend, BackendChoice, ClientChannel } from '../bridge/backend.js';
import type { Governance } from '../bridge/backends.js';
import { narrow, parseGlobList, policyOf, type Policy } from '../bridge/policy.js';
import { Credentials } from '../gateway/credentials.js';
import type { Logger } from '../shared/log.js';
import { LATEST_PROTOCOL_VERSION } from '../shared/mcp.js';
import { Redactor } from '../shared/redact.js';
import { USER_AGENT, VERSION } from '../shared/version.js';

/** The local-control flags `serve`, `tools` and `call` share, so they always agree on what is exposed. */
export interface GovernanceFlags {
  readOnly?: boolean;
  tools?: string;
  excludeTools?: string;
  pinTools?: boolean;
}

export function addGovernanceOptions(cmd: Command): Command {
  return cmd
    .option('--read-only', 'expose only tools the gateway annotates read-only')
    .option('--tools <globs>', 'expose only these tools (comma-separated, * matches anything)')
    .option('--exclude-tools <globs>', 'hide these tools (comma-separated, * matches anything; wins over --tools)')
    .option('--pin-tools', 'hide tools whose definition changed since `hoop-mcp tools accept`');
}

/** The profile's settings narrowed by the flags: a flag can hide more, never show more. */
export function resolvePolicy(flags: GovernanceFlags, target: Target): { policy: Policy; pinTools: boolean } {
  const profile: Partial<Profile> = target.config.profiles[target.profile] ?? {};
  const fromFlags = policyOf({
    readOnly: flags.readOnly,
    tools: flags.tools !== undefined ? parseGlobList(flags.tools) : undefined,
    excludeTools: flags.excludeTools !== undefined ? parseGlobList(flags.excludeTools) : undefined,
  });
  return { policy: narrow(policyOf(profile), fromFlags), pinTools: profile.pinTools === true || flags.pinTools === true };
}

export function governanceFor(target: Target, resolved: { policy: Policy; pinTools: boolean }, logger: Logger): Governance {
  return {
    policy: resolved.policy,
    pinTools: resolved.pinTools,
    profile: target.profile,
    gateway: target.gateway?.base ?? '',
    howToChange: `It is set by --read-only, --tools or --exclude-tools, or by readOnly, tools or excludeTools of profile "${target.profile}" in ${configPath(target.home)}; flags can only narrow the profile`,
    audit: new AuditLog(target.home, target.profile),
    home: target.home,
    logger,
  };
}

export interface ShellBackendOptions {
  target: Target;
  tls: TlsSettings;
  backend: BackendChoice;
  /** Recorded as the client in the audit trail, and sent upstream as clientInfo. */
  clientName: string;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** When given, the backend is wrapped as `serve` wraps it: policy, pins, audit. */
  governance?: Governance;
}

/** A backend for one shell command (`tools`, `call`), built exactly as `serve` builds it for a client. */
export async function openShellBackend(o: ShellBackendOptions): Promise<Backend> {
  const [{ backendFactory, governed }] = await Promise.all([import('../bridge/backends.js')]);
  const credentials = new Credentials(new Redactor());
  const credentialsReady = resolveToken(o.target, createVault(o.target.home), o.env).then((resolved) => {
    if (resolved !== undefined) credentials.use(resolved.token, resolved.origin);
  });
  const factory = backendFactory({
    gateway: o.target.gateway,
    backend: o.backend,
    credentials,
    credentialsReady,
    tls: o.tls,
    timeoutMs: 120_000,
    home: o.target.home,
    logger: o.logger,
    bridgeVersion: VERSION,
    userAgent: USER_AGENT,
  });
  // A shell has no MCP client behind it: nothing to notify, no elicitation to answer.
  const channel: ClientChannel = { notify: () => undefined, request: () => Promise.reject(new Error(`${o.clientName} cannot answer requests from the gateway`)) };
  const hello = { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: o.clientName, version: VERSION } };
  return (o.governance !== undefined ? governed(factory, o.governance) : factory)(hello, channel);
}
