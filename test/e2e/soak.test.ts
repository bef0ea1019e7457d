import { PassThrough } from 'node:stream';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';

import { runServe, serveOptionsFromFlags } from '../../src/commands/serve.js';
import { tempHome } from '../helpers/bridge-process.js';
import { PipeTransport } from '../helpers/pipe-transport.js';
import { gatewayScope } from '../helpers/scope.js';

/**
 * Half an hour of a working day compressed: calls without pause while the gateway evicts
 * sessions and rotates the token every few seconds. The bridge runs in this process, so its
 * sockets and timers can be counted when it is done.
 */
const SECONDS = Number(process.env.SOAK_SECONDS ?? 15);
const gateway = gatewayScope({ fixtureTools: true });

function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe('soak', () => {
  it(`keeps working through evictions and rotations for ${SECONDS}s, and leaves nothing behind`, async () => {
    const gw = await gateway();
    const before = handles();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((r) => (exited = r));
    const env = { HOOP_TOKEN: 'hoop-test-admin-token', HOOP_MCP_HOME: tempHome(), PATH: process.env.PATH };
    const options = await serveOptionsFromFlags({ gateway: gw.url, backend: 'mcp', timeout: '10', logLevel: 'error' }, env);
    await runServe({ ...options, io: { stdin, stdout }, env, exit: (code) => exited(code) });
    const client = new Client({ name: 'soak', version: '1' });
    await client.connect(new PipeTransport(stdin, stdout));

    let token = 'hoop-test-admin-token';
    let generation = 0;
    const churn = setInterval(() => {
      gw.evictSessions();
      const next = `rotated-soak-token-${++generation}-abcdef`;
      gw.rotateToken(token, next);
      token = next;
    }, 2_000);

    const deadline = Date.now() + SECONDS * 1000;
    let calls = 0;
    let errors = 0;
    let inFlight = 0;
    const worker = async (w: number): Promise<void> => {
      while (Date.now() < deadline) {
        inFlight++;
        const readOnly = w % 2 === 0;
        const result = await client.callTool({ name: readOnly ? 'connections_list' : 'fixture_echo_headers', arguments: {} }).catch(() => ({ isError: true }));
        inFlight--;
        calls++;
        if (result.isError === true) errors++;
      }
    };
    await Promise.all(Array.from({ length: 6 }, (_, w) => worker(w)));
    clearInterval(churn);

    expect(inFlight).toBe(0);
    expect(calls).toBeGreaterThan(SECONDS * 20);
    // Read-only calls are replayed after an eviction, so failures stay rare.
    expect(errors / calls).toBeLessThan(0.05);
    expect(gw.initializations.length).toBeGreaterThan(SECONDS / 2 - 2);

    await client.close();
    expect(await exit).toBe(0);
    await gw.stop();
    await new Promise((r) => setTimeout(r, 200));
    const after = handles();
    for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
  }, 120_000);
});
