import { GatewayError, errorMessage, isAbortError } from '../shared/errors.js';
import { compareReviews, type Review, type ReviewChange, type ReviewItem, type ReviewsSnapshot } from '../shared/review.js';
import type { ReviewsClient } from './client.js';
import { pause } from './sleep.js';

/** `--status`, `--connection`, `--mine`: all must match. */
export interface ReviewFilter {
  statuses?: readonly string[];
  connection?: string;
  /** Email of the requester (--mine). */
  requester?: string;
}

export interface WatchOptions {
  client: Pick<ReviewsClient, 'list' | 'items'>;
  filter: ReviewFilter;
  /** First and shortest interval between polls; hoop's own waits poll every 2 s. */
  intervalMs: number;
  /** While nothing changes the interval grows up to this; a change or refresh() resets it. */
  maxIntervalMs?: number;
  signal: AbortSignal;
}

/** Snapshots, one per poll, until the signal aborts; refresh() polls now (after a decision). */
export interface ReviewWatcher extends AsyncIterable<ReviewsSnapshot> {
  refresh(): void;
}

/** Failures no retry can fix: the user must log in again. */
const FATAL = new Set(['unauthorized', 'not-logged-in', 'not-configured']);
const ERROR_BACKOFF_MAX_MS = 60_000;

export function matchesFilter(item: ReviewItem, filter: ReviewFilter): boolean {
  if (filter.statuses !== undefined && filter.statuses.length > 0 && !filter.statuses.includes(item.status)) return false;
  if (filter.connection !== undefined && item.connection !== filter.connection) return false;
  if (filter.requester !== undefined && item.requester?.toLowerCase() !== filter.requester.toLowerCase()) return false;
  return true;
}

/**
 * Polls `GET /api/reviews` (hoop has no push channel for reviews) with backoff: the interval
 * grows by half while nothing changes, doubles after a failure, and snaps back on a change.
 */
export function watchReviews(opts: WatchOptions): ReviewWatcher {
  const base = opts.intervalMs;
  const max = Math.max(base, opts.maxIntervalMs ?? base * 5);
  let wake: (() => void) | undefined;
  /** refresh() arrived during a poll: poll again at once. */
  let again = false;
  let delay = base;

  async function* poll(): AsyncGenerator<ReviewsSnapshot> {
    const seen = new Map<string, string>();
    let shown: ReviewItem[] = [];
    while (!opts.signal.aborted) {
      let snapshot: ReviewsSnapshot;
      try {
        const all = await opts.client.list(opts.signal);
        // Status is known without the session: only reviews that pass it, or that were shown, need one.
        const wanted = (r: Review): boolean => seen.has(r.id) || opts.filter.statuses === undefined || opts.filter.statuses.includes(r.status);
        const items = await opts.client.items(all.filter(wanted), opts.signal);
        const changes: ReviewChange[] = [];
        const next: ReviewItem[] = [];
        for (const item of items) {
          const matches = matchesFilter(item, opts.filter);
          const previous = seen.get(item.id);
          // A shown review that leaves the filter (approved under --status PENDING) still reports its change.
          if (matches || previous !== undefined) {
            if (previous !== item.status) changes.push({ review: item, previous: previous ?? null });
          }
          if (matches) {
            next.push(item);
            seen.set(item.id, item.status);
          } else {
            seen.delete(item.id);
          }
        }
        shown = next.sort(compareReviews);
        snapshot = { reviews: shown, changes, at: new Date() };
        delay = changes.length > 0 ? base : Math.min(max, Math.round(delay * 1.5));
      } catch (err) {
        if (isAbortError(err) || opts.signal.aborted) return;
        if (err instanceof GatewayError && FATAL.has(err.kind)) throw err;
        snapshot = { reviews: shown, changes: [], error: errorMessage(err), at: new Date() };
        delay = Math.min(ERROR_BACKOFF_MAX_MS, delay * 2);
      }
      yield snapshot;
      if (again) {
        again = false;
        continue;
      }
      const p = pause(delay, opts.signal);
      wake = p.wake;
      await p.done;
      wake = undefined;
    }
  }

  return {
    [Symbol.asyncIterator]: () => poll(),
    refresh: () => {
      delay = base;
      if (wake !== undefined) wake();
      else again = true;
    },
  };
}
