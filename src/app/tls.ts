import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import type { FetchLike } from '../gateway/http.js';
import { UsageError } from '../shared/errors.js';
import type { Config } from './config.js';

export interface TlsSettings {
  /** Extra CA certificates (PEM), added to Node's defaults. */
  ca?: string;
  /** HOOP_TLS_SKIP_VERIFY=true: no certificate checks at all. */
  insecure: boolean;
}

/**
 * TLS as hoop users expect it: --ca-file, else HOOP_TLSCA (PEM, `file://<path>` or
 * `base64://<b64>`, as hoop's CLI reads it); NODE_EXTRA_CA_CERTS works through Node itself.
 */
export function resolveTls(flags: { caFile?: string | undefined }, env: NodeJS.ProcessEnv = process.env): TlsSettings {
  const insecure = env.HOOP_TLS_SKIP_VERIFY === 'true';
  const ca = explicitCa(flags, env);
  if (ca === undefined) return { insecure };
  // Passing a CA replaces Node's store, which is where NODE_EXTRA_CA_CERTS lives: keep those too.
  const extra = env.NODE_EXTRA_CA_CERTS;
  const extraPem = extra !== undefined && extra !== '' ? readPem(resolve(extra), 'NODE_EXTRA_CA_CERTS') : '';
  return { ca: `${ca}\n${extraPem}`, insecure };
}

function explicitCa(flags: { caFile?: string | undefined }, env: NodeJS.ProcessEnv): string | undefined {
  if (flags.caFile !== undefined) return readPem(resolve(flags.caFile), '--ca-file');
  const raw = env.HOOP_TLSCA?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw.startsWith('file://')) return readPem(resolve(raw.slice('file://'.length)), 'HOOP_TLSCA');
  if (raw.startsWith('base64://')) return checkPem(Buffer.from(raw.slice('base64://'.length), 'base64').toString('utf8'), 'HOOP_TLSCA');
  return checkPem(raw, 'HOOP_TLSCA');
}

function readPem(path: string, what: string): string {
  try {
    return checkPem(readFileSync(path, 'utf8'), what);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${what}: cannot read ${path}`);
  }
}

function checkPem(pem: string, what: string): string {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`${what} does not hold a PEM certificate`);
  return pem;
}

export const INSECURE_WARNING =
  'HOOP_TLS_SKIP_VERIFY=true: TLS certificates are NOT verified. Anyone on the network path can read your token and every answer. Unset it as soon as you can.';

/** TLS for a command run against a profile: --ca-file, else the CA recorded with the profile, else HOOP_TLSCA. */
export function tlsFor(target: { config: Config; profile: string }, caFile: string | undefined, env: NodeJS.ProcessEnv = process.env): TlsSettings {
  return resolveTls({ caFile: caFile ?? target.config.profiles[target.profile]?.caFile }, env);
}

/** The gateway fetch for these TLS settings. undici is imported here, on first need: `serve` starts without it. */
export async function gatewayFetch(tls: TlsSettings): Promise<FetchLike> {
  const { createDispatcher, createFetch } = await import('../gateway/http.js');
  return createFetch(createDispatcher(tls));
}
