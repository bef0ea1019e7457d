/**
 * Errors that carry their meaning to the one place that maps them to exit codes (cli.ts) or to
 * MCP answers (bridge/). Messages are for humans and already say what to do next.
 */

/** Bad flags, bad values: the user can fix the command line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type GatewayFailure =
  | 'not-configured'
  | 'not-logged-in'
  | 'unauthorized'
  | 'forbidden'
  | 'mcp-unavailable'
  | 'session-expired'
  | 'unreachable'
  | 'tls'
  | 'timeout'
  | 'server-error'
  | 'http-error'
  | 'malformed'
  | 'interrupted';

/** A failure talking to the gateway, with a message that names the next step. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly kind: GatewayFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as NodeJS.ErrnoException).code === 'ABORT_ERR');
}

/** Ends a command with a given exit code; the message (if any) has been or will be printed once. */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}
