import { GatewayError } from '../shared/errors.js';

export const LOGIN_HINT = 'run: npx hoop-mcp login';

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function errorCodes(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') codes.push(code);
    current = current.cause;
  }
  return codes;
}

function isKnown(code: string): boolean {
  return TLS_CODES.has(code) || UNREACHABLE_CODES.has(code) || RESET_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL');
}

/** Turns a network-level failure into a GatewayError that says what to check. */
export function networkError(err: unknown, gateway: string): GatewayError {
  const codes = errorCodes(err);
  const code = codes.find(isKnown) ?? codes[0] ?? 'unknown error';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    return new GatewayError(
      'tls',
      `TLS verification failed for ${gateway} (${code}). If your company uses its own certificate authority, ` +
        'point NODE_EXTRA_CA_CERTS at its PEM file; check the gateway URL otherwise',
    );
  }
  if (UNREACHABLE_CODES.has(code)) {
    return new GatewayError(
      'unreachable',
      `cannot reach the Hoop gateway at ${gateway} (${code}). Check the URL (--gateway or HOOP_APIURL), your network or VPN, then retry`,
    );
  }
  if (RESET_CODES.has(code)) {
    return new GatewayError('interrupted', `the connection to ${gateway} was cut (${code}) before the gateway answered`);
  }
  return new GatewayError('unreachable', `request to ${gateway} failed (${code})`);
}

/** Turns an HTTP error status into a GatewayError; `detail` is the gateway's own message, if any. */
export function statusError(status: number, gateway: string, detail: string | undefined): GatewayError {
  const said = detail !== undefined && detail !== '' ? `: ${detail}` : '';
  if (status === 401) {
    return new GatewayError('unauthorized', `the Hoop gateway rejected the token (401${said}): it is expired or revoked; ${LOGIN_HINT}`, status);
  }
  if (status === 403) {
    return new GatewayError(
      'forbidden',
      `your Hoop role does not allow this (403${said}). Ask a Hoop admin for access`,
      status,
    );
  }
  if (status >= 500) {
    return new GatewayError('server-error', `the Hoop gateway failed (HTTP ${status}${said}). Try again shortly; if it persists, tell your Hoop admin`, status);
  }
  return new GatewayError('http-error', `the Hoop gateway answered HTTP ${status}${said}`, status);
}

/** Extracts hoop's `{"message": …}` (or a short text body) for an error message. */
export function gatewayDetail(body: string, contentType: string | undefined): string | undefined {
  const text = body.trim();
  if (text === '') return undefined;
  if (contentType?.includes('json') === true) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) {
        const record = parsed as Record<string, unknown>;
        const message = record.message ?? (typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>).message : record.error);
        if (typeof message === 'string') return message.slice(0, 300);
      }
    } catch {
      // fall through to the raw text
    }
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
