/** The `exp` of a JWT, read without verifying it (only to show when a token runs out). */
export function jwtExpiry(token: string): Date | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof payload === 'object' && payload !== null && 'exp' in payload && typeof payload.exp === 'number') return new Date(payload.exp * 1000);
  } catch {
    // not a JWT after all
  }
  return undefined;
}
