import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { DecideOutcome, ReviewItem, ReviewsSnapshot, Verdict } from '../shared/review.js';
import { ApprovalsApp } from './ApprovalsApp.js';
import { delay, pressKeys, until } from '../../test/helpers/ink.js';

const NOW = new Date('2026-05-01T12:00:00Z');

/** Snapshots pushed by the test, read by the app: the watcher without the network. */
class Feed implements AsyncIterable<ReviewsSnapshot> {
  private queue: ReviewsSnapshot[] = [];
  private waiting: ((s: ReviewsSnapshot) => void) | undefined;

  push(reviews: ReviewItem[], error?: string): void {
    const snapshot: ReviewsSnapshot = { reviews, changes: [], at: NOW, ...(error !== undefined ? { error } : {}) };
    if (this.waiting !== undefined) {
      this.waiting(snapshot);
      this.waiting = undefined;
    } else this.queue.push(snapshot);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<ReviewsSnapshot> {
    for (;;) yield this.queue.shift() ?? (await new Promise<ReviewsSnapshot>((resolve) => (this.waiting = resolve)));
  }
}

function review(over: Partial<ReviewItem> & { id: string }): ReviewItem {
  return {
    session: over.id,
    type: 'onetime',
    status: 'PENDING',
    accessSeconds: 0,
    createdAt: '2026-05-01T11:57:00Z',
    groups: [{ group: 'admin', status: 'PENDING' }],
    connection: 'prod-postgres',
    requester: 'ana@example.com',
    command: 'select * from users',
    url: `https://hoop.example.com/sessions/${over.id}`,
    ...over,
  };
}


function setup(decide: (id: string, v: Verdict, reason?: string) => Promise<DecideOutcome> = async () => ({ ok: true })) {
  const feed = new Feed();
  const onDecide = vi.fn(decide);
  const onOpen = vi.fn(async (_url: string) => true);
  const onQuit = vi.fn();
  const app = render(<ApprovalsApp reviews={feed} onDecide={onDecide} onOpen={onOpen} onQuit={onQuit} title="https://hoop.example.com" now={() => NOW} />);
  const frame = (): string => app.lastFrame() ?? '';
  // After a frame shows, ink attaches the new handlers in an effect: let it settle before typing.
  const see = async (text: string | RegExp): Promise<void> => {
    await until(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), frame, 5_000);
    await delay(30);
  };
  const press = (keys: string): Promise<void> => pressKeys(app.stdin, keys);
  return { feed, onDecide, onOpen, onQuit, frame, see, press };
}

afterEach(() => cleanup());

describe('ApprovalsApp', () => {
  it('lists pending reviews with connection, requester, type, age and a truncated command, and updates in place', async () => {
    const t = setup();
    expect(t.frame()).toContain('Loading reviews');
    t.feed.push([review({ id: 'r1', command: `select ${'x, '.repeat(80)}y from t` }), review({ id: 'r2', type: 'jit', accessSeconds: 900, status: 'APPROVED', command: 'psql' })]);
    await t.see('prod-postgres');
    expect(t.frame()).toMatch(/▸ PENDING\s+prod-postgres\s+ana@example\.com\s+one-time\s+3m\s+select x, x,/);
    expect(t.frame()).toMatch(/APPROVED\s+prod-postgres\s+ana@example\.com\s+JIT 15m/);
    expect(t.frame()).toContain('…');
    expect(t.frame()).toContain('1 pending · 2 shown');
    expect(t.frame()).toMatch(/a approve · r reject · v revoke · o open · \/ filter · q quit/);

    t.feed.push([review({ id: 'r1', status: 'REJECTED' }), review({ id: 'r2', type: 'jit', accessSeconds: 900, status: 'APPROVED', command: 'psql' })]);
    await t.see('0 pending');
    expect(t.frame()).toMatch(/▸ REJECTED/);
  });

  it('moves with j/k and arrows, and shows details with Enter', async () => {
    const t = setup();
    t.feed.push([review({ id: 'r1' }), review({ id: 'r2', command: 'line one\nline two', requester: 'bo@example.com' })]);
    await t.see('bo@example.com');
    await t.press('j');
    await t.see(/▸ PENDING\s+prod-postgres\s+bo@example\.com/);
    await t.press('\r');
    await t.see('Session');
    expect(t.frame()).toContain('line two');
    expect(t.frame()).toContain('https://hoop.example.com/sessions/r2');
    await t.press('k');
    await t.see(/▸ PENDING\s+prod-postgres\s+ana@example\.com/);
    await t.press('\u001B[B');
    await t.see(/▸ PENDING\s+prod-postgres\s+bo@example\.com/);
  });

  it('approves with a, and shows a refusal instead of throwing', async () => {
    const t = setup(async (id) => (id === 'r1' ? { ok: true } : { ok: false, message: 'your Hoop role does not allow this (403: access denied)' }));
    t.feed.push([review({ id: 'r1' }), review({ id: 'r2' })]);
    await t.see('2 shown');
    await t.press('a');
    await t.see('✓ Approved r1');
    expect(t.onDecide).toHaveBeenCalledWith('r1', 'APPROVED', undefined);
    await t.press('j');
    await t.press('a');
    await t.see('✗ Could not approve r2: your Hoop role does not allow this (403: access denied)');
  });

  it('asks for a reason before rejecting, and Esc cancels', async () => {
    const t = setup();
    t.feed.push([review({ id: 'r1' })]);
    await t.see('1 shown');
    await t.press('r');
    await t.see('Reason for rejecting r1');
    await t.press('\u001B');
    await t.see(/a approve/);
    expect(t.onDecide).not.toHaveBeenCalled();
    await t.press('r');
    await t.see('Reason for rejecting r1');
    await t.press('too risky on prod');
    await t.press('\r');
    await t.see('✓ Rejected r1');
    expect(t.onDecide).toHaveBeenCalledWith('r1', 'REJECTED', 'too risky on prod');
  });

  it('revokes only approved JIT access, opens the review, filters with /, quits with q', async () => {
    const t = setup();
    t.feed.push([review({ id: 'r1' }), review({ id: 'r2', type: 'jit', accessSeconds: 3600, status: 'APPROVED', connection: 'staging-mysql' })]);
    await t.see('2 shown');
    await t.press('v');
    await t.see('only approved JIT access can be revoked');
    await t.press('j');
    await t.press('v');
    await t.see('✓ Revoked r2');
    expect(t.onDecide).toHaveBeenCalledWith('r2', 'REVOKED', undefined);
    await t.press('o');
    expect(t.onOpen).toHaveBeenCalledWith('https://hoop.example.com/sessions/r2');
    await t.see('· Opened https://hoop.example.com/sessions/r2');
    await t.press('/');
    await t.see('? Filter');
    await t.press('staging\r');
    await t.see('filter "staging"');
    expect(t.frame()).not.toMatch(/PENDING\s+prod-postgres/);
    await t.press('q');
    expect(t.onQuit).toHaveBeenCalled();
  });

  it('shows the URL to open by hand where no browser could be opened', async () => {
    const t = setup();
    t.onOpen.mockResolvedValueOnce(false);
    t.feed.push([review({ id: 'r1' })]);
    await t.see('1 shown');
    await t.press('o');
    await t.see('· Open this URL: https://hoop.example.com/sessions/r1');
    expect(t.frame()).not.toContain('Opened');
  });

  it('keeps the last list on screen when a poll fails', async () => {
    const t = setup();
    t.feed.push([review({ id: 'r1' })]);
    await t.see('1 shown');
    t.feed.push([review({ id: 'r1' })], 'cannot reach the Hoop gateway');
    await t.see('! cannot reach the Hoop gateway; retrying');
    expect(t.frame()).toMatch(/▸ PENDING\s+prod-postgres/);
  });
});
