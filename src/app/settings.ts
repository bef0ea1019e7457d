import { UsageError } from '../shared/errors.js';
import { parseGatewayUrl, type GatewayUrl } from '../gateway/url.js';
import { LOG_LEVELS, type LogLevel } from '../shared/log.js';
import { hoopMcpHome } from './paths.js';

/** Where a command talks to and as whom, resolved from flags and the environment. */
export interface GatewaySettings {
  /** Undefined when nothing names a gateway. */
  gateway: GatewayUrl | undefined;
  token: string | undefined;
  home: string;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;

/**
 * Gateway: --gateway, else HOOP_APIURL. Token: HOOP_TOKEN (never a flag: argv is visible to every
 * process on the machine). State: HOOP_MCP_HOME, else the platform's config directory.
 */
export function resolveGatewaySettings(flags: { gateway?: string | undefined; allowHttp?: boolean | undefined }, env: NodeJS.ProcessEnv = process.env): GatewaySettings {
  const raw = nonEmpty(flags.gateway) ?? nonEmpty(env.HOOP_APIURL);
  return {
    gateway: raw !== undefined ? parseGatewayUrl(raw, { allowHttp: flags.allowHttp === true }) : undefined,
    token: nonEmpty(env.HOOP_TOKEN),
    home: hoopMcpHome(env),
  };
}

export function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new UsageError(`--timeout takes a number of seconds between 1 and 86400 (got "${raw}")`);
  }
  return Math.round(seconds * 1000);
}

export function parseLogLevel(raw: string | undefined, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const level = raw ?? nonEmpty(env.HOOP_MCP_LOG_LEVEL) ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
  }
  return level as LogLevel;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
