import { Command, CommanderError } from 'commander';

import { ExitError, GatewayError, UsageError, errorMessage } from './shared/errors.js';
import { Redactor } from './shared/redact.js';
import { VERSION } from './shared/version.js';

export const EXIT = { ok: 0, error: 1, usage: 2 } as const;

/**
 * Every subcommand, loaded on demand: a client launching `hoop-mcp` pays for `serve` alone, not
 * for the modules (and schemas) of login, approvals, doctor and the rest.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).createServeCommand(),
  login: async () => (await import('./commands/login.js')).createLoginCommand(),
  logout: async () => (await import('./commands/logout.js')).createLogoutCommand(),
  status: async () => (await import('./commands/status.js')).createStatusCommand(),
  approvals: async () => (await import('./commands/approvals.js')).createApprovalsCommand(),
  tools: async () => (await import('./commands/tools.js')).createToolsCommand(),
  call: async () => (await import('./commands/call.js')).createCallCommand(),
  audit: async () => (await import('./commands/audit.js')).createAuditCommand(),
  install: async () => (await import('./commands/install.js')).createInstallCommand(),
  doctor: async () => (await import('./commands/doctor.js')).createDoctorCommand(),
};

/** The commands argv needs: the one it names (commander reads the first argument), all for help, else serve. */
function needed(argv: string[]): string[] {
  const first = argv[2];
  if (first !== undefined && first !== 'serve' && first in COMMANDS) return ['serve', first];
  if (first === 'help' || argv.includes('-h') || argv.includes('--help')) return Object.keys(COMMANDS);
  return ['serve'];
}

export async function createProgram(argv: string[] = process.argv): Promise<Command> {
  const program = new Command('hoop-mcp')
    .description('MCP on stdio for AI agents, relayed to a Hoop gateway under its governance')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run hoop-mcp --help for usage)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`hoop-mcp: ${text.replace(/^error: /, '')}`) });
  const names = needed(argv);
  const commands = await Promise.all(names.map((name) => COMMANDS[name]?.() ?? Promise.reject(new Error(`no command ${name}`))));
  for (const [i, command] of commands.entries()) {
    program.addCommand(command.copyInheritedSettings(program), names[i] === 'serve' ? { isDefault: true } : {});
    // nested commands (approvals wait) map their errors the same way
    for (const sub of command.commands) sub.copyInheritedSettings(command);
  }
  return program;
}

/** Parses argv, runs the command, and maps every failure to one exit code and one clean line. */
export async function main(argv: string[], stderr: { write(s: string): unknown } = process.stderr): Promise<number> {
  // A message may quote a gateway's answer: token-shaped text is hidden on the way out.
  const redactor = new Redactor();
  const say = (text: string): void => void stderr.write(`hoop-mcp: ${redactor.redact(text)}\n`);
  try {
    await (await createProgram(argv)).parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof ExitError) {
      if (err.message !== '') say(err.message);
      return err.code;
    }
    if (err instanceof UsageError) {
      say(err.message);
      return EXIT.usage;
    }
    if (err instanceof GatewayError) {
      say(err.message);
      return EXIT.error;
    }
    say(`unexpected error: ${errorMessage(err)}`);
    return EXIT.error;
  }
}
