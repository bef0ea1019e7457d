import { Command } from 'commander';

import { createVault, resolveTarget, resolveToken, storeRotatedToken, type Target } from '../app/settings.js';
import { gatewayFetch, tlsFor } from '../app/tls.js';
import { ReviewsClient } from '../approvals/client.js';
import { waitForReview, type WaitOutcome } from '../approvals/wait.js';
import { watchReviews, matchesFilter, type ReviewFilter, type ReviewWatcher } from '../approvals/watch.js';
import { Credentials } from '../gateway/credentials.js';
import { LOGIN_HINT } from '../gateway/errors.js';
import { RestClient } from '../gateway/rest.js';
import { ExitError, GatewayError, UsageError, errorMessage } from '../shared/errors.js';
import { createLogger } from '../shared/log.js';
import { Redactor } from '../shared/redact.js';
import { ageOf, compareReviews, describeType, preview, REVIEW_STATUSES, type DecideOutcome, type ReviewChange, type ReviewItem, type Verdict } from '../shared/review.js';
import { USER_AGENT } from '../shared/version.js';
import { addTargetOptions, type TargetFlags } from './target-options.js';
import { tuiUnavailable } from './tui.js';

/** `approvals wait`: 0 approved, 1 rejected or revoked, 2 timed out; then as `status` does. */
export const WAIT_EXIT = { approved: 0, rejected: 1, timeout: 2, notLoggedIn: 3, failed: 4 } as const;

type Out = { write(s: string): unknown };

export interface ApprovalsOptions {
  client: Pick<ReviewsClient, 'list' | 'items' | 'whoami' | 'decide'>;
  gateway: string;
  /** tui: the live view; json: NDJSON changes until interrupted; once: the current list (as NDJSON with json). */
  mode: 'tui' | 'json' | 'once';
  json: boolean;
  statuses?: string[];
  connection?: string;
  mine: boolean;
  intervalMs: number;
  /** The live view's desktop notification (--notify); unset: the bell alone. */
  notify?: (title: string, body: string) => void;
  signal: AbortSignal;
  io: { stdout: Out; stderr: Out };
  /** The terminal the live view runs in; default the process's. */
  tty?: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream };
}

export interface ApprovalsWaitOptions {
  client: Pick<ReviewsClient, 'get'>;
  id: string;
  timeoutMs?: number;
  intervalMs: number;
  signal: AbortSignal;
  io: { stdout: Out; stderr: Out };
}

interface ApprovalsFlags extends TargetFlags {
  status?: string;
  connection?: string;
  mine?: boolean;
  json?: boolean;
  once?: boolean;
  notify?: boolean;
  interval?: string;
}

function addConnectOptions(cmd: Command): Command {
  return addTargetOptions(cmd)
    .option('--interval <seconds>', 'seconds between polls (default 2; hoop has no push channel for reviews)');
}

export function createApprovalsCommand(runF = runApprovals, waitF = runApprovalsWait): Command {
  const wait = addConnectOptions(new Command('wait'))
    .description('block until a review is decided: exit 0 approved, 1 rejected or revoked, 2 timed out')
    .argument('<review-id>', 'the review id (or its session id)')
    .option('--timeout <seconds>', 'give up after this long (default: wait until someone decides)')
    .action(async (id: string, flags: TargetFlags & { timeout?: string; interval?: string }, cmd: Command) => {
      // commander may hand options that the parent also declares to the parent
      const defined = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
      const all = { ...cmd.parent?.opts(), ...defined } as TargetFlags & { timeout?: string; interval?: string };
      const timeoutMs = all.timeout !== undefined ? seconds(all.timeout, '--timeout', 1, 86_400) : undefined;
      const intervalMs = seconds(all.interval ?? '2', '--interval', 0.05, 300);
      const client = await connect(all).catch(waitFailure);
      await withInterrupt((signal) =>
        waitF({ client, id, intervalMs, signal, io: { stdout: process.stdout, stderr: process.stderr }, ...(timeoutMs !== undefined ? { timeoutMs } : {}) }),
      );
    });
  return addConnectOptions(new Command('approvals'))
    .description('watch reviews live, and approve, reject or revoke them (a terminal UI; --json or --once in scripts)')
    .option('--status <list>', `only these statuses, comma-separated (${REVIEW_STATUSES.join(', ')})`)
    .option('--connection <name>', 'only reviews on this connection')
    .option('--mine', 'only reviews you requested (for example through your agent)')
    .option('--json', 'print one JSON object per status change (NDJSON) until interrupted')
    .option('--once', 'print the current list and exit')
    .option('--notify', 'also show a desktop notification when a review changes (notify-send or osascript, if present)')
    .addCommand(wait)
    .action(async (flags: ApprovalsFlags) => {
      const mode = flags.once === true ? 'once' : flags.json === true ? 'json' : 'tui';
      const noTui = mode === 'tui' ? tuiUnavailable() : undefined;
      if (noTui !== undefined) throw new UsageError(`the live view ${noTui}; in scripts use --json (one line per status change) or --once (the current list)`);
      const statuses = flags.status !== undefined ? parseStatuses(flags.status) : undefined;
      const intervalMs = seconds(flags.interval ?? '2', '--interval', 0.05, 300);
      const client = await connect(flags);
      const notify = flags.notify === true ? (await import('../approvals/notify.js')).desktopNotify : undefined;
      await withInterrupt((signal) =>
        runF({
          client,
          gateway: client.gateway,
          mode,
          json: flags.json === true,
          mine: flags.mine === true,
          intervalMs,
          ...(notify !== undefined ? { notify } : {}),
          signal,
          io: { stdout: process.stdout, stderr: process.stderr },
          ...(statuses !== undefined ? { statuses } : {}),
          ...(flags.connection !== undefined ? { connection: flags.connection } : {}),
        }),
      );
    });
}

export async function runApprovals(opts: ApprovalsOptions): Promise<void> {
  const filter: ReviewFilter = {
    ...(opts.statuses !== undefined ? { statuses: opts.statuses } : {}),
    ...(opts.connection !== undefined ? { connection: opts.connection } : {}),
    ...(opts.mine ? { requester: await opts.client.whoami(opts.signal) } : {}),
  };
  if (opts.mode === 'once') {
    const all = await opts.client.list(opts.signal);
    const items = (await opts.client.items(all.filter((r) => filter.statuses?.includes(r.status) ?? true), opts.signal))
      .filter((r) => matchesFilter(r, filter))
      .sort(compareReviews);
    const now = new Date();
    for (const r of items) opts.io.stdout.write(`${opts.json ? JSON.stringify(r) : tableRow(r, now)}\n`);
    return;
  }
  const watcher = watchReviews({ client: opts.client, filter, intervalMs: opts.intervalMs, maxIntervalMs: Math.max(opts.intervalMs, 10_000), signal: opts.signal });
  if (opts.mode === 'json') {
    for await (const snapshot of watcher) {
      for (const change of snapshot.changes) opts.io.stdout.write(`${JSON.stringify(changeLine(change, snapshot.at))}\n`);
      if (snapshot.error !== undefined) opts.io.stderr.write(`hoop-mcp: warning: ${snapshot.error}; retrying\n`);
    }
    return;
  }
  const [{ renderApprovals }, { openBrowser }] = await Promise.all([import('../tui/render-approvals.js'), import('../auth/browser-login.js')]);
  const notify = opts.notify;
  await renderApprovals({
    reviews: watcher,
    title: describeWatch(opts),
    onDecide: decideAndRefresh(opts.client, watcher, opts.signal),
    onOpen: openBrowser,
    ...(notify !== undefined ? { onChanges: (changes: ReviewChange[]) => notifyChanges(changes, notify) } : {}),
    ...opts.tty,
  });
}

/** A decision, then a poll at once: the list shows the new status without waiting out the backoff. */
export function decideAndRefresh(client: Pick<ReviewsClient, 'decide'>, watcher: ReviewWatcher, signal: AbortSignal): (id: string, verdict: Verdict, reason?: string) => Promise<DecideOutcome> {
  return async (id, verdict, reason) => {
    const outcome = await client.decide(id, verdict, reason, signal);
    watcher.refresh();
    return outcome;
  };
}

export async function runApprovalsWait(opts: ApprovalsWaitOptions): Promise<void> {
  let result;
  try {
    result = await waitForReview({
      client: opts.client,
      id: opts.id,
      intervalMs: opts.intervalMs,
      signal: opts.signal,
      onRetry: (message) => opts.io.stderr.write(`hoop-mcp: warning: ${message}; still waiting\n`),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    });
  } catch (err) {
    return waitFailure(err);
  }
  const status = result.review?.status ?? 'UNKNOWN';
  opts.io.stdout.write(`${status}\n`);
  const code: Record<WaitOutcome, number> = { approved: WAIT_EXIT.approved, rejected: WAIT_EXIT.rejected, revoked: WAIT_EXIT.rejected, timeout: WAIT_EXIT.timeout };
  if (result.outcome === 'timeout') {
    throw new ExitError(code.timeout, `review ${opts.id} is still ${status} after ${Math.round(result.waitedMs / 1000)}s`);
  }
  const reason = result.review?.rejection_reason ? ` (reason: ${result.review.rejection_reason})` : '';
  if (code[result.outcome] !== 0) throw new ExitError(code[result.outcome], `review ${opts.id} was ${result.outcome}${reason}`);
}

/** Not logged in: 3; anything else the gateway did: 4, so scripts can tell a refusal from a failure. */
function waitFailure(err: unknown): never {
  if (err instanceof UsageError || err instanceof ExitError) throw err;
  const kind = err instanceof GatewayError ? err.kind : undefined;
  const code = kind === 'unauthorized' || kind === 'not-logged-in' ? WAIT_EXIT.notLoggedIn : WAIT_EXIT.failed;
  throw new ExitError(code, errorMessage(err));
}

/** The REST client with the profile's token; a rotated token goes back to its store, as in serve. */
async function connect(flags: TargetFlags): Promise<ReviewsClient> {
  const target: Target = await resolveTarget(flags);
  if (target.gateway === undefined) throw new UsageError('which gateway? pass --gateway <url>, set HOOP_APIURL, or run: npx hoop-mcp login');
  const tls = tlsFor(target, flags.caFile);
  const vault = createVault(target.home);
  const resolved = await resolveToken(target, vault);
  if (resolved === undefined) throw new GatewayError('not-logged-in', `not logged in to ${target.gateway.base}; ${LOGIN_HINT} (or set HOOP_TOKEN)`);
  const redactor = new Redactor();
  const credentials = new Credentials(redactor);
  credentials.use(resolved.token, resolved.origin);
  const stored = resolved.credential;
  if (resolved.origin !== 'env' && stored !== undefined) {
    const store = resolved.origin;
    credentials.onRotate((token) => void storeRotatedToken(target, vault, stored, store, token).catch(() => undefined));
  }
  const logger = createLogger({ level: 'error', redactor, stderr: { write: () => true } });
  const base = target.gateway.base;
  const rest = new RestClient({ base, gateway: base, fetch: await gatewayFetch(tls), credentials, userAgent: USER_AGENT, logger });
  return new ReviewsClient(rest, base);
}

/** Ctrl+C or SIGTERM ends a watch or a wait cleanly (the TUI reads Ctrl+C as a key itself). */
async function withInterrupt(run: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await run(controller.signal);
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort();
  }
}

function parseStatuses(raw: string): string[] {
  const statuses = raw.split(',').map((s) => s.trim().toUpperCase()).filter((s) => s !== '');
  const bad = statuses.filter((s) => !(REVIEW_STATUSES as readonly string[]).includes(s));
  if (bad.length > 0 || statuses.length === 0) throw new UsageError(`--status takes ${REVIEW_STATUSES.join(', ')} (comma-separated); got "${raw}"`);
  return statuses;
}

function seconds(raw: string, flag: string, min: number, max: number): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`${flag} takes a number of seconds between ${min} and ${max} (got "${raw}")`);
  return Math.round(n * 1000);
}

function changeLine(change: ReviewChange, at: Date): Record<string, unknown> {
  return { ...change.review, previous: change.previous, at: at.toISOString() };
}

function tableRow(r: ReviewItem, now: Date): string {
  return [r.status.padEnd(10), preview(r.connection ?? '-', 20).padEnd(20), preview(r.requester ?? '-', 28).padEnd(28), describeType(r).padEnd(10), ageOf(r.createdAt, now).padEnd(4), r.id, preview(r.command, 60)].join(' ');
}

function describeWatch(opts: ApprovalsOptions): string {
  const parts = [opts.gateway];
  if (opts.statuses !== undefined) parts.push(`status ${opts.statuses.join(',')}`);
  if (opts.connection !== undefined) parts.push(`connection ${opts.connection}`);
  if (opts.mine) parts.push('mine');
  return parts.join(' · ');
}

/** At most three notifications per poll, so a burst of changes does not flood the desktop. */
function notifyChanges(changes: ReviewChange[], notify: (title: string, body: string) => void): void {
  for (const { review, previous } of changes.slice(0, 3)) {
    const what = previous === null ? `new ${review.status.toLowerCase()} review` : `${previous.toLowerCase()} → ${review.status.toLowerCase()}`;
    notify(`Hoop: ${what}`, `${review.connection ?? review.id}${review.requester !== undefined ? ` · ${review.requester}` : ''}\n${preview(review.command, 120)}`);
  }
  if (changes.length > 3) notify('Hoop', `${changes.length - 3} more reviews changed`);
}
