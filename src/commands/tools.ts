import { Command, Option } from 'commander';

import { resolveTarget, type Target } from '../app/settings.js';
import { tlsFor } from '../app/tls.js';
import { BACKEND_CHOICES, type Backend, type BackendChoice } from '../bridge/backend.js';
import { diff, PinStore, type CatalogDrift } from '../bridge/pins.js';
import { PolicyBackend } from '../bridge/policy-backend.js';
import { describePolicy, hiddenBecause, type Policy } from '../bridge/policy.js';
import { UsageError } from '../shared/errors.js';
import { createLogger, type Logger } from '../shared/log.js';
import { Redactor } from '../shared/redact.js';
import { addGovernanceOptions, governanceFor, openShellBackend, resolvePolicy, type GovernanceFlags } from './governance.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';

export interface ToolsOptions {
  target: Target & { gateway: NonNullable<Target['gateway']> };
  policy: Policy;
  pinTools: boolean;
  json: boolean;
  /** The backend without local controls; the policy is applied here exactly as `serve` applies it. */
  open: () => Promise<Backend>;
  logger: Logger;
  out: { write(s: string): unknown };
}

export interface ToolsAcceptOptions {
  target: ToolsOptions['target'];
  open: () => Promise<Backend>;
  out: { write(s: string): unknown };
}

interface ToolsFlags extends GovernanceFlags, TargetFlags {
  backend: string;
  json?: boolean;
}

/** The flags that pick a gateway and a backend, shared by `tools`, `tools accept` and `call`. */
export function addShellOptions(cmd: Command): Command {
  return addTargetOptions(cmd).addOption(new Option('--backend <kind>', 'auto, mcp or rest, as for serve').choices(BACKEND_CHOICES).default('auto'));
}

/** Resolves the target and a lazy backend opener for a shell command. */
export async function shellTarget(flags: ToolsFlags, clientName: string, logger: Logger): Promise<{ target: ToolsOptions['target']; open: (governed?: boolean) => Promise<Backend> }> {
  const target = await resolveTarget(flags);
  const { gateway } = target;
  if (gateway === undefined) throw new UsageError('no Hoop gateway configured: pass --gateway <url> or run: npx hoop-mcp login');
  const tls = tlsFor(target, flags.caFile);
  const open = (governed = false): Promise<Backend> =>
    openShellBackend({
      target,
      tls,
      backend: flags.backend as BackendChoice,
      clientName,
      logger,
      env: process.env,
      ...(governed ? { governance: governanceFor(target, resolvePolicy(flags, target), logger) } : {}),
    });
  return { target: { ...target, gateway }, open };
}

export function stderrLogger(): Logger {
  return createLogger({ level: 'warn', redactor: new Redactor() });
}

export function createToolsCommand(runF: (opts: ToolsOptions) => Promise<void> = runTools, acceptF: (opts: ToolsAcceptOptions) => Promise<void> = runToolsAccept): Command {
  const accept = addShellOptions(new Command('accept'))
    .description('accept the gateway\'s current tool definitions as the pinned ones')
    .action(async (_flags: ToolsFlags, cmd: Command) => {
      // `tools` declares the same flags, so commander may hand them to the parent
      const { target, open } = await shellTarget(cmd.optsWithGlobals<ToolsFlags>(), 'hoop-mcp tools', stderrLogger());
      await acceptF({ target, open: () => open(), out: process.stdout });
    });
  return addGovernanceOptions(addShellOptions(new Command('tools')))
    .description('list the tools the bridge would expose with the active filters')
    .option('--json', 'print one JSON object')
    .addCommand(accept)
    .action(async (flags: ToolsFlags) => {
      const logger = stderrLogger();
      const { target, open } = await shellTarget(flags, 'hoop-mcp tools', logger);
      await runF({ target, ...resolvePolicy(flags, target), json: flags.json === true, open: () => open(), logger, out: process.stdout });
    });
}

export async function runTools(opts: ToolsOptions): Promise<void> {
  const raw = await opts.open();
  try {
    const pins = new PinStore(opts.target.home, opts.target.gateway.base);
    const all = await raw.listTools(AbortSignal.timeout(30_000));
    const policed = new PolicyBackend({ inner: raw, policy: opts.policy, pins: { store: pins, enforce: opts.pinTools }, howToChange: '', logger: opts.logger });
    const exposed = await policed.listTools(AbortSignal.timeout(30_000));
    const shown = new Set(exposed.map((t) => t.name));
    const pinned = await pins.load();
    const drift: CatalogDrift = pinned ? diff(pinned.tools, all) : { changed: [], removed: [], added: [] };
    const hidden = all
      .filter((t) => !shown.has(t.name))
      .map((t) => ({ name: t.name, reason: hiddenBecause(t, opts.policy) ?? 'changed since accepted (--pin-tools)' }));
    const report = {
      gateway: opts.target.gateway.base,
      profile: opts.target.profile,
      backend: raw.kind,
      policy: describePolicy(opts.policy),
      pinTools: opts.pinTools,
      total: all.length,
      exposed: exposed.map((t) => ({ name: t.name, readOnly: t.annotations?.readOnlyHint === true, description: firstLine(t.description) })),
      hidden,
      drift,
    };
    if (opts.json) {
      opts.out.write(`${JSON.stringify(report)}\n`);
      return;
    }
    const width = Math.max(4, ...exposed.map((t) => t.name.length));
    const lines = [`${report.gateway} (${report.backend}) · ${exposed.length} of ${all.length} tools exposed · policy: ${report.policy}${opts.pinTools ? ' · pinned' : ''}`];
    for (const t of report.exposed) lines.push(`  ${t.name.padEnd(width)}  ${t.readOnly ? 'read ' : 'write'}  ${t.description}`);
    if (hidden.length > 0) lines.push(`Hidden: ${hidden.map((h) => h.name).join(', ')}`);
    if (drift.changed.length > 0 || drift.removed.length > 0) {
      lines.push(`Changed since accepted: ${[...drift.changed, ...drift.removed.map((n) => `${n} (removed)`)].join(', ')}. Run \`npx hoop-mcp tools accept\` once reviewed.`);
    }
    opts.out.write(`${lines.join('\n')}\n`);
  } finally {
    await raw.close();
  }
}

export async function runToolsAccept(opts: ToolsAcceptOptions): Promise<void> {
  const raw = await opts.open();
  try {
    const tools = await raw.listTools(AbortSignal.timeout(30_000));
    const pins = new PinStore(opts.target.home, opts.target.gateway.base);
    const before = await pins.load();
    const drift = before ? diff(before.tools, tools) : undefined;
    await pins.accept(tools);
    const what = drift && (drift.changed.length > 0 || drift.removed.length > 0) ? ` (changed: ${[...drift.changed, ...drift.removed].join(', ')})` : '';
    opts.out.write(`Accepted the ${tools.length} tools of ${opts.target.gateway.base}${what}.\n`);
  } finally {
    await raw.close();
  }
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '').split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
