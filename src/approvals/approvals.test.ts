import { describe, expect, it } from 'vitest';

import { GatewayError } from '../shared/errors.js';
import { ReviewSchema, toReviewItem, type Review, type ReviewsSnapshot } from '../shared/review.js';
import { waitForReview } from './wait.js';
import { watchReviews, type ReviewFilter } from './watch.js';

const GW = 'https://hoop.example.com';

function rev(id: string, status: string, created = '2026-05-01T10:00:00Z'): Review {
  return ReviewSchema.parse({ id, session: id, type: 'onetime', status, created_at: created, access_duration: 0 });
}

/** Answers each list() with the next state (or error), repeating the last one. */
function fakeClient(states: Array<Review[] | Error>) {
  let i = 0;
  return {
    calls: () => i,
    list: async () => {
      const next = states[Math.min(i++, states.length - 1)];
      if (next instanceof Error) throw next;
      return next ?? [];
    },
    items: async (reviews: Review[]) => reviews.map((r) => ({ ...toReviewItem(r, GW), connection: r.id.startsWith('p') ? 'prod' : 'staging' })),
  };
}

async function take(states: Array<Review[] | Error>, n: number, filter: ReviewFilter = {}): Promise<ReviewsSnapshot[]> {
  const controller = new AbortController();
  const out: ReviewsSnapshot[] = [];
  for await (const s of watchReviews({ client: fakeClient(states), filter, intervalMs: 1, signal: controller.signal })) {
    out.push(s);
    if (out.length === n) controller.abort();
  }
  return out;
}

const changes = (s: ReviewsSnapshot | undefined): string[] => (s?.changes ?? []).map((c) => `${c.review.id}:${c.previous ?? 'new'}→${c.review.status}`);

describe('watchReviews', () => {
  it('reports every review once, then status changes only, pending first', async () => {
    const snaps = await take([[rev('p1', 'APPROVED', '2026-05-01T11:00:00Z'), rev('p2', 'PENDING')], [rev('p1', 'APPROVED'), rev('p2', 'PENDING')], [rev('p1', 'APPROVED'), rev('p2', 'REJECTED')]], 3);
    expect(changes(snaps[0])).toEqual(['p1:new→APPROVED', 'p2:new→PENDING']);
    expect(snaps[0]?.reviews.map((r) => r.id)).toEqual(['p2', 'p1']);
    expect(changes(snaps[1])).toEqual([]);
    expect(changes(snaps[2])).toEqual(['p2:PENDING→REJECTED']);
  });

  it('still reports a shown review leaving the status filter, and filters by connection', async () => {
    const snaps = await take([[rev('p1', 'PENDING'), rev('s1', 'PENDING')], [rev('p1', 'APPROVED'), rev('s1', 'PENDING')]], 2, { statuses: ['PENDING'], connection: 'prod' });
    expect(changes(snaps[0])).toEqual(['p1:new→PENDING']);
    expect(changes(snaps[1])).toEqual(['p1:PENDING→APPROVED']);
    expect(snaps[1]?.reviews).toEqual([]);
  });

  it('keeps the last list through a failed poll, and stops on a rejected token', async () => {
    const snaps = await take([[rev('p1', 'PENDING')], new GatewayError('unreachable', 'cannot reach'), [rev('p1', 'PENDING')]], 3);
    expect(snaps[1]).toMatchObject({ error: 'cannot reach', changes: [] });
    expect(snaps[1]?.reviews.map((r) => r.id)).toEqual(['p1']);
    expect(snaps[2]?.error).toBeUndefined();
    await expect(take([new GatewayError('unauthorized', 'run: npx hoop-mcp login')], 1)).rejects.toThrow(/login/);
  });
});

describe('waitForReview', () => {
  const client = (statuses: Array<string | Error>) => {
    let i = 0;
    return {
      get: async (id: string) => {
        const next = statuses[Math.min(i++, statuses.length - 1)];
        if (next instanceof Error) throw next;
        return rev(id, next ?? 'PENDING');
      },
    };
  };
  const signal = new AbortController().signal;

  it.each([
    [['PENDING', 'APPROVED'], 'approved'],
    [['PENDING', 'EXECUTED'], 'approved'],
    [['REJECTED'], 'rejected'],
    [['PENDING', new GatewayError('server-error', '502'), 'REVOKED'], 'revoked'],
  ] as const)('%j ends %s', async (statuses, outcome) => {
    expect((await waitForReview({ client: client([...statuses]), id: 'r', intervalMs: 1, signal })).outcome).toBe(outcome);
  });

  it('times out with the last state, and gives up at once on an unknown review', async () => {
    const result = await waitForReview({ client: client(['PENDING']), id: 'r', intervalMs: 5, timeoutMs: 30, signal });
    expect(result).toMatchObject({ outcome: 'timeout', review: { status: 'PENDING' } });
    await expect(waitForReview({ client: client([new GatewayError('http-error', 'resource not found', 404)]), id: 'r', intervalMs: 1, signal })).rejects.toThrow(/not found/);
  });
});
