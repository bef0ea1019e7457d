import { z } from 'zod';

/** What the store keeps per profile and gateway: one JSON blob, so later fields (refresh tokens, expiry) fit in. */
export const StoredCredentialSchema = z.object({
  version: z.literal(1),
  gateway: z.string(),
  token: z.string().min(1),
  /** How the token was obtained, for `status`. */
  source: z.enum(['login', 'token-stdin', 'api-key-stdin', 'hoop-cli-import', 'rotated', 'oauth', 'refreshed']),
  savedAt: z.string(),
  user: z.object({ email: z.string(), name: z.string().optional() }).optional(),
  /** MCP OAuth only: what `serve` needs to refresh the access token without a browser. */
  refreshToken: z.string().min(1).optional(),
  /** Absolute expiry of `token` (ISO), from the token response's expires_in. */
  expiresAt: z.string().optional(),
  tokenEndpoint: z.string().optional(),
  clientId: z.string().optional(),
  /** Only when the gateway's registration shim disclosed one (a confidential static client). */
  clientSecret: z.string().optional(),
  /** The RFC 8707 resource indicator the token is bound to (the gateway's /api/mcp). */
  resource: z.string().optional(),
});
export type StoredCredential = z.infer<typeof StoredCredentialSchema>;

export const CREDENTIAL_STORES = ['keychain', 'file'] as const;
export type CredentialStoreKind = (typeof CREDENTIAL_STORES)[number];

/** Where a secret lives: the OS keychain or a 0600 file. Both key entries by profile and gateway. */
export interface SecretStore {
  readonly kind: CredentialStoreKind;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The keychain account (and file key) for one profile on one gateway. No version in it: upgrades keep logins. */
export function accountFor(profile: string, gatewayBase: string): string {
  return `${profile}@${gatewayBase}`;
}

export function parseStoredCredential(raw: string | undefined): StoredCredential | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = StoredCredentialSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
