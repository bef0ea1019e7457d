import type { Command } from 'commander';

/** The flags that say which gateway and login a command uses. */
export interface TargetFlags {
  gateway?: string;
  profile?: string;
  caFile?: string;
  allowHttp?: boolean;
}

const PROFILE_HELP = 'which stored login to use (default: $HOOP_MCP_PROFILE, else the default profile)';

/** Declares TargetFlags, worded once for every command that reaches a gateway. */
export function addTargetOptions(cmd: Command, profileHelp = PROFILE_HELP): Command {
  return cmd
    .option('--gateway <url>', 'Hoop gateway base URL (default: $HOOP_APIURL, else the profile\'s)')
    .option('--profile <name>', profileHelp)
    .option('--ca-file <path>', 'trust this CA certificate (PEM) for the gateway (default: the profile\'s, else $HOOP_TLSCA)')
    .option('--allow-http', 'allow plain http to a non-loopback gateway (your token travels unencrypted)');
}
