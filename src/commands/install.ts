import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';

import { Argument, Command, Option } from 'commander';

import { CLIENTS, configFile, defaultScope, mergeServer, SCOPES, serverEntry, snippet, type ClientId, type InstallEnvironment, type Scope } from '../app/client-configs.js';
import { checkProfileName } from '../app/settings.js';
import { VERSION } from '../shared/version.js';

export interface InstallOptions {
  client: ClientId;
  scope: Scope;
  profile: string | undefined;
  print: boolean;
  environment: InstallEnvironment;
  version: string;
  /** For the backup's name. */
  now: () => Date;
  out: { write(s: string): unknown };
}

export function createInstallCommand(runF: (opts: InstallOptions) => Promise<void> = runInstall): Command {
  return new Command('install')
    .description('add hoop-mcp to an MCP client\'s configuration (merged, with a backup, no secret)')
    .addArgument(new Argument('<client>', 'the MCP client').choices(CLIENTS))
    .addOption(new Option('--scope <scope>', 'project (in this folder) or user (default: project; user for claude-desktop)').choices(SCOPES))
    .option('--profile <name>', 'the stored login the client should use')
    .option('--print', 'print the snippet instead of writing the file')
    .action(async (client: ClientId, flags: { scope?: Scope; profile?: string; print?: boolean }) => {
      await runF({
        client,
        scope: flags.scope ?? defaultScope(client),
        profile: flags.profile !== undefined ? checkProfileName(flags.profile) : undefined,
        print: flags.print === true,
        environment: { platform: process.platform, home: homedir(), cwd: process.cwd(), env: process.env },
        version: VERSION,
        now: () => new Date(),
        out: process.stdout,
      });
    });
}

export async function runInstall(opts: InstallOptions): Promise<void> {
  const file = configFile(opts.client, opts.scope, opts.environment);
  const { name, entry } = serverEntry(opts.client, { version: opts.version, profile: opts.profile, platform: opts.environment.platform });
  if (opts.print) {
    opts.out.write(snippet(file, name, entry));
    return;
  }
  const existing = await readFile(file.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const merge = mergeServer(existing, file, name, entry);
  if (!merge.changed) {
    opts.out.write(`${name} is already in ${file.path}; nothing changed.\n`);
    return;
  }
  let backup: string | undefined;
  if (existing === undefined) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, merge.text, { flag: 'wx' });
  } else {
    // through a symlink (dotfile managers) to the real file, keeping its mode (~/.claude.json is 0600)
    const real = await realpath(file.path);
    backup = `${file.path}.bak-${opts.now().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(real, backup, constants.COPYFILE_EXCL);
    // write then rename: a crash never leaves the client a half-written file
    const tmp = `${real}.hoop-mcp-${process.pid}.tmp`;
    await writeFile(tmp, merge.text);
    await chmod(tmp, (await stat(real)).mode & 0o777);
    await rename(tmp, real);
  }
  opts.out.write(`${existing === undefined ? 'Created' : 'Updated'} ${file.path}: server "${name}" runs ${[entry.command, ...entry.args].join(' ')}${backup !== undefined ? ` (backup: ${backup})` : ''}.\n`);
}
