import { z } from 'zod';

/** What the store keeps per profile and gateway: one JSON blob, so later fields (refresh tokens, expiry) fit in. */
export const StoredCredentialSchema = z.object({
  version: z.literal(1),
  gateway: z.string(),
  token: z.string().min(1),
  /** How the token was obtained, for `status`. */
  source: z.enum(['login', 'token-stdin', 'api-key-stdin', 'hoop-cli-import', 'rotated']),
  savedAt: z.string(),
  user: z.object({ email: z.string(), name: z.string().optional() }).optional(),
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
