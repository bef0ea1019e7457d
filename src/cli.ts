import { Command, CommanderError } from 'commander';

import { createApprovalsCommand } from './commands/approvals.js';
import { createAuditCommand } from './commands/audit.js';
import { createCallCommand } from './commands/call.js';
import { createDoctorCommand } from './commands/doctor.js';
import { createInstallCommand } from './commands/install.js';
import { createLoginCommand } from './commands/login.js';
import { createLogoutCommand } from './commands/logout.js';
import { createServeCommand } from './commands/serve.js';
import { createStatusCommand } from './commands/status.js';
import { createToolsCommand } from './commands/tools.js';
import { ExitError, GatewayError, UsageError, errorMessage } from './shared/errors.js';
import { VERSION } from './shared/version.js';

export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

export function createProgram(): Command {
  const program = new Command('hoop-mcp')
    .description('MCP on stdio for AI agents, relayed to a Hoop gateway under its governance')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run hoop-mcp --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`hoop-mcp: ${text.replace(/^error: /, '')}`) });
  for (const [command, opts] of [
    [createServeCommand(), { isDefault: true }],
    [createLoginCommand(), {}],
    [createLogoutCommand(), {}],
    [createStatusCommand(), {}],
    [createApprovalsCommand(), {}],
    [createToolsCommand(), {}],
    [createCallCommand(), {}],
    [createAuditCommand(), {}],
    [createInstallCommand(), {}],
    [createDoctorCommand(), {}],
  ] as const) {
    program.addCommand(command.copyInheritedSettings(program), opts);
    // nested commands (approvals wait) map their errors the same way
    for (const sub of command.commands) sub.copyInheritedSettings(command);
  }
  return program;
}

/** Parses argv, runs the command, and maps every failure to one exit code and one clean line. */
export async function main(argv: string[], stderr: { write(s: string): unknown } = process.stderr): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof ExitError) {
      if (err.message !== '') stderr.write(`hoop-mcp: ${err.message}\n`);
      return err.code;
    }
    if (err instanceof UsageError) {
      stderr.write(`hoop-mcp: ${err.message}\n`);
      return EXIT.usage;
    }
    if (err instanceof GatewayError) {
      stderr.write(`hoop-mcp: ${err.message}\n`);
      return EXIT.error;
    }
    stderr.write(`hoop-mcp: unexpected error: ${errorMessage(err)}\n`);
    return EXIT.error;
  }
}
