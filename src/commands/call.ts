import { Command } from 'commander';

import type { Backend } from '../bridge/backend.js';
import { ExitError, UsageError } from '../shared/errors.js';
import { RawToolResult, type CallToolResult, type ToolResult } from '../shared/mcp.js';
import { addGovernanceOptions, type GovernanceFlags } from './governance.js';
import { addShellOptions, shellTarget, stderrLogger } from './tools.js';

export interface CallOptions {
  tool: string;
  args: Record<string, unknown>;
  json: boolean;
  /** The backend as `serve` builds it: local policy, pins and audit included. */
  open: () => Promise<Backend>;
  out: { write(s: string): unknown };
  err: { write(s: string): unknown };
}

interface CallFlags extends GovernanceFlags {
  profile?: string;
  gateway?: string;
  backend: string;
  args?: string;
  json?: boolean;
  caFile?: string;
  allowHttp?: boolean;
}

/** `--args` must be one JSON object: tools take named arguments. */
export function parseArgs(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new UsageError(`--args is not valid JSON (${(err as Error).message}); pass an object, e.g. --args '{"connection_name":"pg"}'`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--args must be a JSON object, e.g. --args '{"connection_name":"pg"}'`);
  return value as Record<string, unknown>;
}

export function createCallCommand(runF: (opts: CallOptions) => Promise<void> = runCall): Command {
  return addGovernanceOptions(addShellOptions(new Command('call')))
    .description('call one tool from the shell, through the same local policy and audit trail as serve')
    .argument('<tool>', 'the tool name')
    .option('--args <json>', 'the arguments, as one JSON object', '{}')
    .option('--json', 'print the whole MCP result as JSON')
    .action(async (tool: string, flags: CallFlags) => {
      const args = parseArgs(flags.args);
      const { open } = await shellTarget(flags, 'hoop-mcp call', stderrLogger());
      await runF({ tool, args, json: flags.json === true, open: () => open(true), out: process.stdout, err: process.stderr });
    });
}

/** Prints the result's text (or the whole result with --json); a tool error exits 1. */
export async function runCall(opts: CallOptions): Promise<void> {
  const backend = await opts.open();
  let answer: ToolResult;
  try {
    answer = await backend.callTool(
      { name: opts.tool, arguments: opts.args },
      {
        signal: AbortSignal.timeout(600_000),
        progressToken: 'hoop-mcp-call',
        sendProgress: (p) => opts.err.write(`progress ${p.progress}${p.total !== undefined ? `/${p.total}` : ''}${p.message ? `: ${p.message}` : ''}\n`),
      },
    );
  } finally {
    await backend.close();
  }
  const result = answer instanceof RawToolResult ? answer.parse() : answer;
  if (opts.json) opts.out.write(`${JSON.stringify(result)}\n`);
  else opts.out.write(`${textOf(result)}\n`);
  if (result.isError === true) throw new ExitError(1);
}

function textOf(result: CallToolResult): string {
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  const texts = content.map((c) => (typeof c === 'object' && c !== null && 'text' in c && typeof c.text === 'string' ? c.text : JSON.stringify(c)));
  return texts.length > 0 ? texts.join('\n') : JSON.stringify(result.structuredContent ?? result);
}
