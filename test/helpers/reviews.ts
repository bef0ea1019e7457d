import type { GatewayFixture } from '../fixtures/gateway.js';
import { DEFAULT_USERS, findConnection, newReview, newSession, principalOf } from '../fixtures/gateway-state.js';

export interface SeedOptions {
  connection?: string;
  input?: string;
  /** The requester; one of the fixture's default users. */
  owner?: string;
  /** JIT access of this many seconds instead of a one-time review. */
  jitSeconds?: number;
}

/** Puts a PENDING review (and its session) into the fixture, as hoop's exec would; returns its id. */
export function seedReview(gw: GatewayFixture, opts: SeedOptions = {}): string {
  const conn = findConnection(gw.state, opts.connection ?? 'prod-postgres');
  if (conn === undefined) throw new Error(`no connection ${opts.connection ?? 'prod-postgres'}`);
  const email = opts.owner ?? 'user@example.com';
  const [token, user] = Object.entries(DEFAULT_USERS).find(([, u]) => u.email === email) ?? [];
  if (token === undefined || user === undefined) throw new Error(`no fixture user ${email}`);
  const session = newSession(conn, principalOf(user, 'user', token), opts.input ?? 'select 1');
  const review = newReview(session, conn, principalOf(user, 'user', token));
  if (opts.jitSeconds !== undefined) {
    review['type'] = 'jit';
    review['access_duration'] = opts.jitSeconds * 1e9;
  }
  session['review'] = { id: review['id'], type: review['type'], status: 'PENDING' };
  gw.state.sessions.set(String(session['id']), session);
  gw.state.reviews.set(String(review['id']), review);
  return String(review['id']);
}
