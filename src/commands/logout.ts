import { Command } from 'commander';

import { loadConfig, saveConfig } from '../app/config.js';
import { createVault, resolveTarget, type Target } from '../app/settings.js';
import { accountFor } from '../auth/credential.js';
import type { CredentialVault } from '../auth/vault.js';
import { parseGatewayUrl } from '../gateway/url.js';
import { UsageError } from '../shared/errors.js';

export interface LogoutOptions {
  target: Target;
  all: boolean;
  vault: CredentialVault;
  out: { write(s: string): unknown };
}

interface LogoutFlags {
  profile?: string;
  gateway?: string;
  all?: boolean;
}

export function createLogoutCommand(runF: (opts: LogoutOptions) => Promise<void> = runLogout): Command {
  return new Command('logout')
    .description('remove stored credentials from the keychain and the credentials file')
    .option('--profile <name>', 'the profile to log out (default: $HOOP_MCP_PROFILE, else the default profile)')
    .option('--gateway <url>', 'the gateway, when the profile does not name one')
    .option('--all', 'log out of every profile')
    .action(async (flags: LogoutFlags) => {
      if (flags.all === true && flags.profile !== undefined) throw new UsageError('use either --profile or --all, not both');
      const target = await resolveTarget({ ...flags, allowHttp: true });
      await runF({ target, all: flags.all === true, vault: createVault(target.home), out: process.stdout });
    });
}

/** Deletes the credential from every store, so no copy is left behind, and forgets the remembered store. */
export async function runLogout(opts: LogoutOptions): Promise<void> {
  const { target, vault, out } = opts;
  const profiles = opts.all ? Object.keys(target.config.profiles) : [target.profile];
  let removedAny = false;
  for (const profile of profiles) {
    const stored = target.config.profiles[profile]?.gateway;
    const base = opts.all ? (stored !== undefined ? parseGatewayUrl(stored, { allowHttp: true }).base : undefined) : target.gateway?.base;
    if (base === undefined) continue;
    const removed = await vault.remove(accountFor(profile, base));
    if (removed.length > 0) {
      removedAny = true;
      out.write(`Logged out of ${base} (profile ${profile}): removed from ${removed.map((k) => (k === 'keychain' ? 'the OS keychain' : 'the credentials file')).join(' and ')}.\n`);
    }
  }
  const config = await loadConfig(target.home);
  for (const profile of profiles) {
    const entry = config.profiles[profile];
    if (entry !== undefined) delete entry.credentialStore;
  }
  await saveConfig(target.home, config);
  if (!removedAny) out.write(opts.all ? 'No stored credentials.\n' : `No stored credential for profile ${target.profile}${target.gateway ? ` on ${target.gateway.base}` : ''}.\n`);
  if (process.env.HOOP_TOKEN !== undefined && process.env.HOOP_TOKEN !== '') out.write('Note: HOOP_TOKEN is set in this environment and still takes precedence; unset it too.\n');
}
