import { join } from 'node:path';

import { accountFor, type CredentialStoreKind, type StoredCredential } from '../auth/credential.js';
import { FileStore } from '../auth/file-store.js';
import { KeychainStore } from '../auth/keychain-store.js';
import { withLock } from '../auth/lock.js';
import { CredentialVault } from '../auth/vault.js';
import type { TokenOrigin } from '../gateway/credentials.js';
import { parseGatewayUrl, type GatewayUrl } from '../gateway/url.js';
import { UsageError } from '../shared/errors.js';
import { LOG_LEVELS, type LogLevel } from '../shared/log.js';
import { DEFAULT_PROFILE, loadConfig, type Config } from './config.js';
import { hoopMcpHome } from './paths.js';

/** Where a command talks to and under which profile, from flags, the environment and the config file. */
export interface Target {
  profile: string;
  gateway: GatewayUrl | undefined;
  home: string;
  config: Config;
}

export interface TargetFlags {
  gateway?: string | undefined;
  profile?: string | undefined;
  allowHttp?: boolean | undefined;
}

export interface ResolvedToken {
  token: string;
  origin: Exclude<TokenOrigin, 'none'>;
  credential?: StoredCredential;
}

export const DEFAULT_TIMEOUT_SECONDS = 120;
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Profile: --profile, else HOOP_MCP_PROFILE, else the config's default. Gateway: --gateway, else
 * HOOP_APIURL, else the profile's. State: HOOP_MCP_HOME, else the platform's config directory.
 */
export async function resolveTarget(flags: TargetFlags, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const home = hoopMcpHome(env);
  const config = await loadConfig(home).catch((err: unknown) => {
    throw new UsageError((err as Error).message);
  });
  const profile = checkProfileName(nonEmpty(flags.profile) ?? nonEmpty(env.HOOP_MCP_PROFILE) ?? config.defaultProfile ?? DEFAULT_PROFILE);
  const raw = nonEmpty(flags.gateway) ?? nonEmpty(env.HOOP_APIURL) ?? config.profiles[profile]?.gateway;
  return {
    profile,
    gateway: raw !== undefined ? parseGatewayUrl(raw, { allowHttp: flags.allowHttp === true }) : undefined,
    home,
    config,
  };
}

export function checkProfileName(profile: string): string {
  if (!PROFILE_NAME.test(profile)) throw new UsageError(`profile names use letters, digits, dot, dash and underscore (got "${profile}")`);
  return profile;
}

export function createVault(home: string): CredentialVault {
  return new CredentialVault({ keychain: new KeychainStore(), file: new FileStore(home) });
}

/**
 * The token to use: HOOP_TOKEN wins (and is never written anywhere), else the credential stored
 * for this profile and gateway, read from the store the profile remembers first.
 */
export async function resolveToken(target: Target, vault: CredentialVault, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedToken | undefined> {
  const fromEnv = nonEmpty(env.HOOP_TOKEN);
  if (fromEnv !== undefined) return { token: fromEnv, origin: 'env' };
  if (target.gateway === undefined) return undefined;
  const found = await vault.load(accountFor(target.profile, target.gateway.base), target.config.profiles[target.profile]?.credentialStore);
  return found && { token: found.credential.token, origin: found.store, credential: found.credential };
}

/** The lock every instance takes before writing this profile's credential. */
export function credentialLockPath(target: Target): string {
  return join(target.home, 'locks', `${target.profile}.lock`);
}

/** Writes a token the gateway rotated back to the store it came from, one writer at a time. */
export async function storeRotatedToken(target: Target, vault: CredentialVault, previous: StoredCredential, store: CredentialStoreKind, token: string): Promise<void> {
  if (target.gateway === undefined) return;
  const account = accountFor(target.profile, target.gateway.base);
  await withLock(credentialLockPath(target), async () => {
    await vault.save(account, { ...previous, token, source: 'rotated', savedAt: new Date().toISOString() }, store);
  });
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
