import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { findConnection } from '../../test/fixtures/gateway-state.js';
import type { GatewayFixture } from '../../test/fixtures/gateway.js';
import { seedReview } from '../../test/helpers/reviews.js';
import { gatewayScope } from '../../test/helpers/scope.js';
import { fakeTerminal } from '../../test/helpers/terminal.js';
import { ReviewsClient } from '../approvals/client.js';
import { watchReviews } from '../approvals/watch.js';
import { Credentials } from '../gateway/credentials.js';
import { createFetch } from '../gateway/http.js';
import { RestClient } from '../gateway/rest.js';
import { createLogger } from '../shared/log.js';
import { Redactor } from '../shared/redact.js';
import { ApprovalsApp } from '../tui/ApprovalsApp.js';
import { decideAndRefresh, runApprovals } from './approvals.js';
import { delay, pressKeys, until } from '../../test/helpers/ink.js';

const ADMIN = 'hoop-test-admin-token';
const USER = 'hoop-test-user-token';
const gateway = gatewayScope();


const controllers: AbortController[] = [];
afterEach(() => {
  cleanup();
  for (const c of controllers.splice(0)) c.abort();
});

/** The REST client `approvals` builds, signed in with one of the fixture's tokens. */
function reviewsClient(gw: GatewayFixture, token: string): ReviewsClient {
  const redactor = new Redactor();
  const credentials = new Credentials(redactor);
  credentials.use(token, 'env');
  const logger = createLogger({ level: 'error', redactor, stderr: { write: () => true } });
  return new ReviewsClient(new RestClient({ base: gw.url, gateway: gw.url, fetch: createFetch(), credentials, userAgent: 'hoop-mcp/test', logger }), gw.url);
}

/** The live view as the command wires it: the real poller and client against the fixture. */
function watch(gw: GatewayFixture, token: string) {
  const controller = new AbortController();
  controllers.push(controller);
  const client = reviewsClient(gw, token);
  const watcher = watchReviews({ client, filter: {}, intervalMs: 50, maxIntervalMs: 200, signal: controller.signal });
  const app = render(<ApprovalsApp reviews={watcher} onDecide={decideAndRefresh(client, watcher, controller.signal)} onOpen={async () => false} title={gw.url} />);
  const frame = (): string => app.lastFrame() ?? '';
  const see = async (text: string | RegExp): Promise<void> => {
    await until(() => (typeof text === 'string' ? frame().includes(text) : text.test(frame())), frame, 5_000);
    // ink attaches the new key handlers in an effect after the frame
    await delay(30);
  };
  const press = (keys: string): Promise<void> => pressKeys(app.stdin, keys, 30);
  /** Narrows the list to one review with the filter prompt, which selects it. */
  const pick = async (id: string): Promise<void> => {
    // Esc clears a filter (and would quit without one)
    if (frame().includes('· filter "')) await press('\u001B');
    await press('/');
    await see('? Filter');
    await press(id);
    await press('\r');
    await see('1 shown');
  };
  return { frame, see, press, pick };
}

const putsTo = (gw: GatewayFixture, id: string) => gw.requests.filter((r) => r.method === 'PUT' && r.path === `/api/reviews/${id}`);

describe('the approvals view over the real poller and REST client', () => {
  it('follows reviews as they change at the gateway; a approves, r rejects with a reason', async () => {
    const gw = await gateway();
    const orders = seedReview(gw, { input: 'delete from orders where id = 42' });
    const accounts = seedReview(gw, { input: 'update accounts set plan = 1' });
    const audit = seedReview(gw, { input: 'truncate audit_log' });
    const t = watch(gw, ADMIN);
    await t.see('3 pending · 3 shown');
    expect(t.frame()).toMatch(/PENDING\s+prod-postgres\s+user@example\.com\s+one-time\s+\d+s\s+delete from orders/);

    // decided elsewhere (the web app, Slack): the row changes in place
    gw.setReviewStatus(audit, 'APPROVED');
    await t.see(/APPROVED\s+prod-postgres\s+user@example\.com\s+one-time\s+\d+s\s+truncate audit_log/);
    expect(t.frame()).toContain('2 pending · 3 shown');
    const late = seedReview(gw, { connection: 'staging-mysql', input: 'select 4', jitSeconds: 900 });
    await t.see(/PENDING\s+staging-mysql\s+user@example\.com\s+JIT 15m/);

    await t.pick(orders);
    await t.press('a');
    await t.see(`✓ Approved ${orders}`);
    await t.see(/▸ APPROVED\s+prod-postgres/);
    expect(putsTo(gw, orders).map((r) => [r.status, r.body])).toEqual([[200, { status: 'APPROVED' }]]);

    await t.pick(accounts);
    await t.press('r');
    await t.see(`Reason for rejecting ${accounts}`);
    await t.press('not during the freeze');
    await t.press('\r');
    await t.see(`✓ Rejected ${accounts}`);
    await t.see(/▸ REJECTED\s+prod-postgres/);
    expect(putsTo(gw, accounts).map((r) => [r.status, r.body])).toEqual([[200, { status: 'REJECTED', rejection_reason: 'not during the freeze' }]]);
    expect(gw.state.reviews.get(accounts)?.['rejection_reason']).toBe('not during the freeze');
    expect(putsTo(gw, late)).toEqual([]);
  });

  it('shows the gateway refusing a decision (self-approval, no reviewer group) and keeps watching', async () => {
    const gw = await gateway();
    // engineering reviews prod-postgres, so user@example.com may review there, but not their own request
    const prod = findConnection(gw.state, 'prod-postgres');
    if (prod === undefined) throw new Error('no prod-postgres');
    prod['reviewers'] = ['engineering'];
    const own = seedReview(gw, { input: 'drop table sessions' });
    const adminsOnly = seedReview(gw, { connection: 'staging-mysql', input: 'select 5', owner: 'admin@example.com' });
    const t = watch(gw, USER);
    await t.see('2 pending · 2 shown');

    await t.pick(own);
    await t.press('a');
    await t.see(`✗ Could not approve ${own}: unable to self approve review`);
    // the session of someone else's request is not the user's to read: the id finds it
    await t.pick(adminsOnly);
    await t.press('r');
    await t.press('\r');
    await t.see(`✗ Could not reject ${adminsOnly}: not eligible for review`);
    expect([...putsTo(gw, own), ...putsTo(gw, adminsOnly)].map((r) => r.status)).toEqual([400, 400]);

    // still live after the refusals
    gw.setReviewStatus(own, 'REJECTED');
    await t.press('\u001B');
    await t.see(/REJECTED\s+prod-postgres\s+user@example\.com/);
    expect(t.frame()).toContain('1 pending · 2 shown');
  });
});

describe('hoop-mcp approvals in a terminal', () => {
  it('rings the bell and notifies for changes after the first list, at most three notifications and a summary per poll', async () => {
    const gw = await gateway();
    const first = seedReview(gw, { input: 'select 1' });
    // a first poll that fails reads no list: the one read after it is the starting point, not news
    await gw.stop();
    const { stdin, stdout, opts: tty } = fakeTerminal();
    const screen = (): string => stdout.text;
    const bells = (): number => stdout.text.split('\u0007').length - 1;
    const notify = vi.fn<(title: string, body: string) => void>();
    const controller = new AbortController();
    controllers.push(controller);
    const sink = { write: () => true };
    const done = runApprovals({ client: reviewsClient(gw, ADMIN), gateway: gw.url, mode: 'tui', json: false, mine: false, intervalMs: 50, notify, signal: controller.signal, io: { stdout: sink, stderr: sink }, tty });
    await until(() => screen().includes('cannot reach'), screen, 5_000);
    await gw.start();
    await until(() => screen().includes('1 pending · 1 shown'), screen, 5_000);
    expect(bells()).toBe(0);
    expect(notify).not.toHaveBeenCalled();

    gw.setReviewStatus(first, 'APPROVED');
    await until(() => bells() === 1, screen, 5_000);
    expect(notify.mock.calls).toEqual([['Hoop: pending → approved', 'prod-postgres · user@example.com\nselect 1']]);

    for (const n of [2, 3, 4, 5, 6]) seedReview(gw, { input: `select ${n}` });
    await until(() => bells() === 2, screen, 5_000);
    const fresh = ['Hoop: new pending review', expect.stringMatching(/^prod-postgres · user@example\.com\nselect [2-6]$/)];
    expect(notify.mock.calls.slice(1)).toEqual([fresh, fresh, fresh, ['Hoop', '2 more reviews changed']]);
    await until(() => screen().includes('5 pending · 6 shown'), screen, 5_000);
    expect(bells()).toBe(2);

    stdin.press('q');
    await done;
  });
});
