import { z } from 'zod';

import { apiPath, RestStatusError, type RestApi } from '../gateway/rest.js';
import { fetchIdentity } from '../gateway/identity.js';
import { errorMessage, GatewayError, isAbortError } from '../shared/errors.js';
import { ReviewSchema, ReviewSessionSchema, toReviewItem, type DecideOutcome, type Review, type ReviewItem, type ReviewSession, type Verdict } from '../shared/review.js';

/** Sessions read per poll at most: `GET /api/reviews` is the whole org's history, unpaginated. */
const MAX_SESSION_READS = 40;
const SESSION_READ_CONCURRENCY = 4;

/**
 * Reviews over hoop's REST API: the list, one review, the session each one belongs to (for the
 * connection, requester and command the review object lacks), and decisions.
 */
export class ReviewsClient {
  /** Session details never change once written, so each is read once. null: could not be read. */
  private readonly sessions = new Map<string, ReviewSession | null>();

  constructor(
    private readonly rest: RestApi,
    readonly gateway: string,
  ) {}

  async list(signal: AbortSignal): Promise<Review[]> {
    const { data } = await this.rest.request('GET', '/reviews', { signal });
    return parse(z.array(ReviewSchema).nullable(), data, 'GET /api/reviews') ?? [];
  }

  async get(id: string, signal: AbortSignal): Promise<Review> {
    const { data } = await this.rest.request('GET', apiPath`/reviews/${id}`, { signal });
    return parse(ReviewSchema, data, 'GET /api/reviews/:id');
  }

  /** The signed-in user's email (for --mine). */
  async whoami(signal: AbortSignal): Promise<string> {
    return (await fetchIdentity(this.rest, signal)).email;
  }

  /**
   * Reviews as items, with session details for the ones `wanted` picks (newest first, a bounded
   * number of new reads per call; the rest keep what the cache has).
   */
  async items(reviews: Review[], signal: AbortSignal, wanted: (r: Review) => boolean = () => true): Promise<ReviewItem[]> {
    const missing = reviews
      .filter((r) => wanted(r) && !this.sessions.has(sessionOf(r)))
      .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))
      .slice(0, MAX_SESSION_READS);
    for (let i = 0; i < missing.length; i += SESSION_READ_CONCURRENCY) {
      await Promise.all(missing.slice(i, i + SESSION_READ_CONCURRENCY).map((r) => this.readSession(sessionOf(r), signal)));
    }
    return reviews.map((r) => toReviewItem(r, this.gateway, this.sessions.get(sessionOf(r)) ?? undefined));
  }

  /** Approves, rejects (with a reason) or revokes. Refusals come back as a message, not thrown. */
  async decide(id: string, verdict: Verdict, reason: string | undefined, signal: AbortSignal): Promise<DecideOutcome> {
    const body = { status: verdict, ...(verdict === 'REJECTED' && reason !== undefined && reason !== '' ? { rejection_reason: reason } : {}) };
    try {
      await this.rest.request('PUT', apiPath`/reviews/${id}`, { body, signal });
      return { ok: true };
    } catch (err) {
      if (isAbortError(err)) throw err;
      if (err instanceof RestStatusError && err.httpStatus < 500 && err.httpStatus !== 401 && err.httpStatus !== 403 && err.detail !== undefined) {
        // hoop's own words are the clearest here: "not eligible for review", "unable to self approve review"
        return { ok: false, message: err.detail };
      }
      return { ok: false, message: errorMessage(err) };
    }
  }

  private async readSession(sid: string, signal: AbortSignal): Promise<void> {
    try {
      const { data } = await this.rest.request('GET', apiPath`/sessions/${sid}`, { signal });
      this.sessions.set(sid, parse(ReviewSessionSchema, data, 'GET /api/sessions/:id'));
    } catch (err) {
      // A session the user may not read (403) or that is gone (404) stays without details.
      if (err instanceof RestStatusError && (err.httpStatus === 403 || err.httpStatus === 404)) this.sessions.set(sid, null);
      else throw err;
    }
  }
}

function sessionOf(r: Review): string {
  return r.session !== '' ? r.session : r.id;
}

function parse<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new GatewayError('malformed', `the gateway answered ${what} with an unexpected shape (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
  return parsed.data;
}
