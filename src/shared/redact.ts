/**
 * Removes secrets from any text that leaves the process through a human channel (logs, error
 * messages) or the protocol channel. Known secrets are replaced exactly; token-shaped strings are
 * caught by pattern, so a secret the bridge never saw (a rotated token, a key in an error body)
 * is still hidden.
 */
export const REDACTED = '[REDACTED]';

const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\bhpk_[A-Za-z0-9_-]+/g, REDACTED],
  [/\bxapi-[A-Za-z0-9_-]+/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/([?&](?:token|access_token|refresh_token|code|password)=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/("(?:token|access_token|refresh_token|password|secret|client_secret|api_key)"\s*:\s*")[^"]*/gi, `$1${REDACTED}`],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a secret to be hidden from now on. Short strings are ignored: they would mangle normal text. */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 8) this.secrets.add(secret);
  }

  /** Exact replacement of known secrets only: cheap enough for every line written to stdout. */
  scrubKnown(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** Whether any known secret appears in these bytes, as it would be written in them. */
  foundIn(bytes: Uint8Array): boolean {
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const secret of this.secrets) if (buf.includes(secret)) return true;
    return false;
  }

  /** Known secrets plus token-shaped patterns: for logs and error messages. */
  redact(text: string): string {
    let out = this.scrubKnown(text);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }
}
