import { GatewayError, errorMessage, isAbortError } from '../shared/errors.js';
import type { Review } from '../shared/review.js';
import type { ReviewsClient } from './client.js';
import { pause } from './sleep.js';

export type WaitOutcome = 'approved' | 'rejected' | 'revoked' | 'timeout';

export interface WaitResult {
  outcome: WaitOutcome;
  /** The last review read; undefined only if none could be read before the timeout. */
  review: Review | undefined;
  waitedMs: number;
}

export interface WaitOptions {
  client: Pick<ReviewsClient, 'get'>;
  id: string;
  /** undefined: wait until someone decides, as `hoop exec` does. */
  timeoutMs?: number;
  intervalMs: number;
  signal: AbortSignal;
  /** Each transient failure (the wait goes on). */
  onRetry?: (message: string) => void;
  now?: () => number;
}

/** Approved covers what follows an approval: the one-time run starting (PROCESSING) or done (EXECUTED). */
const OUTCOME: Record<string, WaitOutcome> = {
  APPROVED: 'approved',
  PROCESSING: 'approved',
  EXECUTED: 'approved',
  REJECTED: 'rejected',
  REVOKED: 'revoked',
};

/** Failures that waiting longer cannot fix: re-login, no access, no such review. */
function isFinalFailure(err: unknown): boolean {
  if (!(err instanceof GatewayError)) return true;
  return ['unauthorized', 'not-logged-in', 'forbidden', 'malformed', 'not-configured'].includes(err.kind) || (err.kind === 'http-error' && err.status !== 429);
}

/**
 * Polls one review until it is decided or the timeout passes. A gateway that blips (unreachable,
 * 5xx) does not end the wait; a 401, 403 or unknown id does.
 */
export async function waitForReview(opts: WaitOptions): Promise<WaitResult> {
  const now = opts.now ?? Date.now;
  const start = now();
  const deadline = opts.timeoutMs !== undefined ? start + opts.timeoutMs : Number.POSITIVE_INFINITY;
  let review: Review | undefined;
  let delay = opts.intervalMs;
  for (;;) {
    try {
      review = await opts.client.get(opts.id, opts.signal);
      delay = opts.intervalMs;
      const outcome = OUTCOME[review.status];
      if (outcome !== undefined) return { outcome, review, waitedMs: now() - start };
    } catch (err) {
      if (isAbortError(err) || opts.signal.aborted || isFinalFailure(err)) throw err;
      opts.onRetry?.(errorMessage(err));
      delay = Math.min(30_000, delay * 2);
    }
    const remaining = deadline - now();
    if (remaining <= 0) return { outcome: 'timeout', review, waitedMs: now() - start };
    await pause(Math.min(delay, remaining), opts.signal).done;
    if (opts.signal.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new DOMException('aborted', 'AbortError');
  }
}
