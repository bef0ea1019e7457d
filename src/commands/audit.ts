import { Command } from 'commander';

import { AuditLog, parseAuditLines, verifyChain } from '../app/audit-log.js';
import { resolveTarget } from '../app/settings.js';
import { ExitError, UsageError } from '../shared/errors.js';

export interface AuditOptions {
  log: Pick<AuditLog, 'text' | 'file'>;
  /** tail: how many lines. */
  lines: number;
  json: boolean;
  out: { write(s: string): unknown };
}

export function createAuditCommand(tailF: (opts: AuditOptions) => Promise<void> = runAuditTail, verifyF: (opts: AuditOptions) => Promise<void> = runAuditVerify): Command {
  const logFor = async (flags: { profile?: string }): Promise<AuditLog> => {
    const target = await resolveTarget(flags);
    return new AuditLog(target.home, target.profile);
  };
  const tail = new Command('tail')
    .description('show the last tool calls recorded for a profile')
    .option('--profile <name>', 'whose trail (default: $HOOP_MCP_PROFILE, else the default profile)')
    .option('-n, --lines <n>', 'how many lines', '20')
    .option('--json', 'print the raw JSON lines')
    .action(async (flags: { profile?: string; lines: string; json?: boolean }) => {
      const lines = Number(flags.lines);
      if (!Number.isInteger(lines) || lines < 1) throw new UsageError(`--lines takes a positive whole number (got "${flags.lines}")`);
      await tailF({ log: await logFor(flags), lines, json: flags.json === true, out: process.stdout });
    });
  const verify = new Command('verify')
    .description('check that the trail\'s hash chain is intact (exit 1 and the first broken line if not)')
    .option('--profile <name>', 'whose trail (default: $HOOP_MCP_PROFILE, else the default profile)')
    .action(async (flags: { profile?: string }) => {
      await verifyF({ log: await logFor(flags), lines: 0, json: false, out: process.stdout });
    });
  return new Command('audit').description('the local, hash-chained trail of tool calls made through hoop-mcp').addCommand(tail).addCommand(verify);
}

export async function runAuditTail(opts: AuditOptions): Promise<void> {
  const text = await opts.log.text();
  if (opts.json) {
    const raw = text.split('\n').filter((l) => l !== '');
    opts.out.write(raw.slice(-opts.lines).map((l) => `${l}\n`).join(''));
    return;
  }
  const entries = parseAuditLines(text).slice(-opts.lines);
  if (entries.length === 0) {
    opts.out.write(`No tool calls recorded yet (${opts.log.file}).\n`);
    return;
  }
  for (const e of entries) {
    const review = e.reviewId !== undefined ? ` review ${e.reviewId}` : '';
    opts.out.write(`${e.time}  ${e.outcome.padEnd(14)} ${e.tool}  ${e.durationMs} ms  ${e.client}  ${e.gateway}${review}  args ${e.argsSha256.slice(0, 12)}\n`);
  }
}

export async function runAuditVerify(opts: AuditOptions): Promise<void> {
  const result = verifyChain(await opts.log.text());
  if (result.ok) {
    opts.out.write(`${opts.log.file}: ${result.lines} lines, chain intact.\n`);
    return;
  }
  throw new ExitError(1, `${opts.log.file}: line ${result.line} of ${result.lines} ${result.problem}; the lines before it are intact`);
}
