import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { LoggingMessageNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';

import { auditFile, parseAuditLines, verifyChain } from '../../src/app/audit-log.js';
import { BIN, connectBridge, tempHome } from '../helpers/bridge-process.js';
import { seedReview } from '../helpers/reviews.js';
import { clientScope, gatewayScope, resultText } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const gateway = gatewayScope();
const track = clientScope();

interface Run {
  lines: () => string[];
  stderr: () => string;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

/** The built bin with piped (non-TTY) stdio, as a script would run it. */
function run(args: string[], token = ADMIN): Run {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOOP_TOKEN: token, HOOP_MCP_HOME: tempHome() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  return {
    lines: () => out.split('\n').filter((l) => l !== ''),
    stderr: () => err,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

describe('hoop-mcp approvals without a terminal', () => {
  it('--json prints one line per status change until interrupted', async () => {
    const gw = await gateway();
    const first = seedReview(gw, { input: 'delete from users where id = 7' });
    const p = run(['approvals', '--json', '--gateway', gw.url, '--interval', '0.05']);
    await expect.poll(() => p.lines().length, { timeout: 10_000 }).toBe(1);
    const second = seedReview(gw, { connection: 'prod-postgres', jitSeconds: 900 });
    await expect.poll(() => p.lines().length, { timeout: 10_000 }).toBe(2);
    gw.setReviewStatus(first, 'APPROVED');
    await expect.poll(() => p.lines().length, { timeout: 10_000 }).toBe(3);
    gw.setReviewStatus(second, 'REJECTED');
    await expect.poll(() => p.lines().length, { timeout: 10_000 }).toBe(4);
    p.kill('SIGINT');
    expect(await p.exited).toBe(0);
    const events = p.lines().map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => [e.id, e.previous, e.status])).toEqual([
      [first, null, 'PENDING'],
      [second, null, 'PENDING'],
      [first, 'PENDING', 'APPROVED'],
      [second, 'PENDING', 'REJECTED'],
    ]);
    expect(events[0]).toMatchObject({ connection: 'prod-postgres', requester: 'user@example.com', command: 'delete from users where id = 7', type: 'onetime', url: `${gw.url}/sessions/${first}` });
    expect(events[1]).toMatchObject({ type: 'jit', accessSeconds: 900 });
  });

  it('--once prints the current list, pending first, with the filters applied', async () => {
    const gw = await gateway();
    const done = seedReview(gw, { input: 'select 1' });
    gw.setReviewStatus(done, 'APPROVED');
    const pending = seedReview(gw, { input: 'select 2' });
    seedReview(gw, { connection: 'staging-mysql', input: 'select 3', owner: 'admin@example.com' });
    const all = run(['approvals', '--once', '--json', '--connection', 'prod-postgres', '--gateway', gw.url]);
    expect(await all.exited).toBe(0);
    expect(all.lines().map((l) => (JSON.parse(l) as { id: string }).id)).toEqual([pending, done]);

    const mine = run(['approvals', '--once', '--mine', '--status', 'pending', '--gateway', gw.url]);
    expect(await mine.exited).toBe(0);
    expect(mine.lines()).toHaveLength(1);
    expect(mine.lines()[0]).toMatch(/^PENDING\s+staging-mysql\s+admin@example\.com\s+one-time/);
  });

  it('refuses the live view without a terminal, naming --json and --once', async () => {
    const gw = await gateway();
    const p = run(['approvals', '--gateway', gw.url]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/--json .*--once/);
  });

  it.each([
    ['APPROVED', 0],
    ['REJECTED', 1],
  ] as const)('wait exits when the review is %s', async (status, code) => {
    const gw = await gateway();
    const id = seedReview(gw);
    const p = run(['approvals', 'wait', id, '--gateway', gw.url, '--interval', '0.05', '--timeout', '20']);
    await expect.poll(() => gw.requests.filter((r) => r.path === `/api/reviews/${id}`).length, { timeout: 10_000 }).toBeGreaterThan(1);
    gw.setReviewStatus(id, status);
    expect(await p.exited).toBe(code);
    expect(p.lines()).toEqual([status]);
  });

  it('wait exits 1 for JIT access that was approved and then revoked', async () => {
    const gw = await gateway();
    const id = seedReview(gw, { jitSeconds: 3600 });
    gw.setReviewStatus(id, 'APPROVED');
    gw.setReviewStatus(id, 'REVOKED');
    const p = run(['approvals', 'wait', id, '--gateway', gw.url, '--interval', '0.05', '--timeout', '20']);
    expect(await p.exited).toBe(1);
    expect(p.lines()).toEqual(['REVOKED']);
    expect(p.stderr()).toBe(`hoop-mcp: review ${id} was revoked\n`);
  });

  it('wait exits 2 when the timeout passes, and 4 for an unknown review', async () => {
    const gw = await gateway();
    const id = seedReview(gw);
    const timedOut = run(['approvals', 'wait', id, '--gateway', gw.url, '--interval', '0.1', '--timeout', '1']);
    const unknown = run(['approvals', 'wait', 'no-such-review', '--gateway', gw.url]);
    expect(await timedOut.exited).toBe(2);
    expect(timedOut.stderr()).toMatch(/still PENDING after 1s/);
    expect(await unknown.exited).toBe(4);
    expect(unknown.stderr()).toMatch(/resource not found/);
  });
});

describe('the bridge and calls held for review', () => {
  it('tells the human through the client and stderr, and hands the model the result unchanged', async () => {
    const gw = await gateway();
    const { client, bridge } = track(await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_TOKEN: ADMIN } }));
    const logs: Array<{ level: string; data: unknown }> = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(n.params));
    const result = await client.callTool({ name: 'exec', arguments: { connection_name: 'prod-postgres', input: 'drop table t' } });
    const envelope = JSON.parse(resultText(result)) as Record<string, unknown>;
    const review = [...gw.state.reviews.values()][0];
    expect(envelope).toEqual({
      status: 'pending_approval',
      session_id: review?.['session'],
      review_id: review?.['id'],
      review_url: `${gw.url}/sessions/${String(review?.['session'])}`,
      message: expect.any(String),
      next_step: expect.any(String),
    });
    expect(Object.keys(result).sort()).toEqual(['content']);
    await expect.poll(() => logs.length).toBe(1);
    expect(logs[0]?.level).toBe('warning');
    expect(String(logs[0]?.data)).toContain(String(review?.['id']));
    expect(String(logs[0]?.data)).toContain('npx hoop-mcp approvals');
    await expect.poll(() => bridge.stderrText).toMatch(new RegExp(`waiting for approval: review ${String(review?.['id'])}.*npx hoop-mcp approvals`));
  });

  it('records the review id in the audit trail, and none for a call that ran at once', async () => {
    const gw = await gateway();
    const home = tempHome();
    const { client } = track(await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_TOKEN: ADMIN, HOOP_MCP_HOME: home } }));
    await client.callTool({ name: 'exec', arguments: { connection_name: 'prod-postgres', input: 'drop table t' } });
    await client.callTool({ name: 'exec', arguments: { connection_name: 'staging-mysql', input: 'select 1' } });
    // close() waits for the queued audit lines
    await client.close();
    expect(gw.state.reviews.size).toBe(1);
    const reviewId = String([...gw.state.reviews.values()][0]?.['id']);
    const text = readFileSync(auditFile(home, 'default'), 'utf8');
    expect(verifyChain(text).ok).toBe(true);
    const lines = parseAuditLines(text);
    expect(lines.map((l) => [l.tool, l.outcome, l.reviewId])).toEqual([
      ['exec', 'ok', reviewId],
      ['exec', 'ok', undefined],
    ]);
    expect(text).not.toContain('drop table');
  });

  it('stops a reviews_wait at the gateway when the client cancels it', async () => {
    const gw = await gateway();
    const { client } = track(await connectBridge({ args: ['--gateway', gw.url], env: { HOOP_TOKEN: ADMIN } }));
    const id = seedReview(gw);
    const abort = new AbortController();
    const progress: number[] = [];
    const call = client.callTool({ name: 'reviews_wait', arguments: { id, timeout_seconds: 60 } }, undefined, { signal: abort.signal, onprogress: (p) => progress.push(p.progress) });
    await expect.poll(() => progress.length, { timeout: 10_000 }).toBeGreaterThan(0);
    abort.abort('the user moved on');
    await expect(call).rejects.toThrow();
    await expect.poll(() => gw.calls.find((c) => c.tool === 'reviews_wait')?.cancelled, { timeout: 10_000 }).toBe(true);
  });
});
