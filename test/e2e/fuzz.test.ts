import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { BridgeProcess, tempHome } from '../helpers/bridge-process.js';
import { gatewayScope } from '../helpers/scope.js';

/**
 * Random and mutated JSON-RPC on stdin, random failures upstream: the bridge must never crash,
 * never write anything but JSON-RPC, answer every request that deserves an answer, and never
 * show the token.
 */
const CANARY = 'canary-fuzz-9b0e7d1f3a5c-token';
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const gateway = gatewayScope({ fixtureTools: true, users: { [CANARY]: { email: 'fuzz@example.com', name: 'Fuzz', groups: ['admin'] } } });

type Id = string | number;
const ids = fc.oneof(fc.integer(), fc.string({ maxLength: 40 }), fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, 1e308, -0.5, 'x'.repeat(10_000)));
const methods = fc.oneof(fc.constantFrom('ping', 'tools/list', 'tools/call', 'resources/list', 'logging/setLevel', 'initialize', 'no/such/method'), fc.string({ maxLength: 20 }));
const toolNames = fc.oneof(fc.constantFrom('connections_list', 'serverinfo_get', 'connections_get', 'no_such_tool'), fc.string({ maxLength: 12 }));
const params = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 }),
  toolNames.chain((name) => fc.record({ name: fc.constant(name), arguments: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }) })),
);

interface Sent {
  bytes: Buffer;
  /** The id an answer must carry, when the line is a well-formed request. */
  expects?: Id;
}

const request = fc.record({ id: ids, method: methods, params }).map(({ id, method, params: p }): Sent => {
  const message = { jsonrpc: '2.0', id, method, ...(p !== undefined ? { params: p } : {}) };
  return { bytes: Buffer.from(`${JSON.stringify(message)}\n`), expects: id };
});
const notification = fc.record({ method: methods, params }).map(({ method, params: p }): Sent => ({
  bytes: Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', method, ...(p !== undefined ? { params: p } : {}) })}\n`),
}));
const garbage = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1')),
  fc.constant(`${'['.repeat(20_000)}${']'.repeat(20_000)}`),
  fc.constant('\u0000\u0001{"jsonrpc":"2.0"'),
).map((text): Sent => ({ bytes: Buffer.concat([Buffer.from(text.replace(/\n/g, ' '), 'latin1'), Buffer.from('\n')]) }));
const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((a): Sent => ({ bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(a.filter((b) => b !== 10)), Buffer.from('\n')]) }));
const traffic = fc.array(fc.oneof({ weight: 5, arbitrary: request }, { weight: 2, arbitrary: notification }, { weight: 2, arbitrary: garbage }, { weight: 1, arbitrary: invalidUtf8 }), { minLength: 150, maxLength: 150 });

const faults = fc.oneof(
  fc.record({ destroy: fc.constant(true) }),
  fc.record({ status: fc.constantFrom(500, 502, 503, 401, 403, 429), body: fc.string({ maxLength: 50 }) }),
  fc.record({ status: fc.constant(200), contentType: fc.constantFrom('text/html', 'application/octet-stream', 'text/event-stream'), body: fc.constantFrom('<html>', 'data: {not json\n\n', 'event: message\ndata: [1,2\n\n', '') }),
  fc.record({ delayMs: fc.integer({ min: 10, max: 300 }) }),
  // a slow drip: an answer for someone else's id, a few bytes every few ms, then the stream ends
  fc.record({ status: fc.constant(200), contentType: fc.constant('text/event-stream'), dripMs: fc.integer({ min: 1, max: 15 }), body: fc.constant('event: message\ndata: {"jsonrpc":"2.0","id":424242,"result":{"content":[]}}\n\n') }),
  // past the size from which results are relayed as bytes: someone else's id, cut short, split over data lines
  fc.record({ status: fc.constant(200), contentType: fc.constant('text/event-stream'), body: fc.constantFrom(...bigBodies()) }),
);

function bigBodies(): string[] {
  const result = `{"content":[{"type":"text","text":"${'z'.repeat(1_200_000)}"}]}`;
  return [
    `event: message\ndata: {"jsonrpc":"2.0","id":987654,"result":${result}}\n\n`,
    `event: message\ndata: {"jsonrpc":"2.0","id":1,"result":${result.slice(0, -2)}\n\n`,
    `event: message\ndata: {"jsonrpc":"2.0",\ndata: "id":1,"result":${result}}\n\n`,
  ];
}

function answered(bridge: BridgeProcess): Array<{ id?: Id }> {
  return bridge.stdoutMessages() as Array<{ id?: Id }>;
}

describe('fuzzing the stdio server', () => {
  it('survives random traffic and upstream failures', async () => {
    const gw = await gateway();
    const bridge = new BridgeProcess(['--gateway', gw.url, '--timeout', '5', '--log-level', 'debug'], { HOOP_TOKEN: CANARY, HOOP_MCP_HOME: tempHome() });
    bridge.writeRaw(`${JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } })}\n`);

    const [messages] = fc.sample(traffic, { seed: SEED, numRuns: 1 });
    const plannedFaults = fc.sample(faults, { seed: SEED, numRuns: 40 });
    const expected = new Map<string, Id>();
    const rng = fc.sample(fc.integer({ min: 1, max: 64 }), { seed: SEED, numRuns: 400 });
    let k = 0;
    for (const [i, m] of (messages ?? []).entries()) {
      if (i % 4 === 0) gw.failNext({ ...(plannedFaults[(i / 4) % plannedFaults.length] ?? {}), method: 'POST' });
      // partial lines: split each message at a random point
      const cut = Math.min(m.bytes.length, rng[k++ % rng.length] ?? 1);
      bridge.writeRaw(m.bytes.subarray(0, cut));
      bridge.writeRaw(m.bytes.subarray(cut));
      if (m.expects !== undefined) expected.set(JSON.stringify(m.expects), m.expects);
    }
    // one 10 MB line, under the 32 MiB limit: answered like any other
    bridge.writeRaw(`{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"${'y'.repeat(10 * 1024 * 1024)}"}}\n`);
    expected.set('"big"', 'big');
    bridge.writeRaw('{"jsonrpc":"2.0","id":"last","method":"ping"}\n');
    expected.set('"last"', 'last');

    await expect
      .poll(() => {
        const got = new Set(answered(bridge).map((m) => JSON.stringify(m.id)));
        return [...expected.keys()].filter((id) => !got.has(id)).length;
      }, { timeout: 60_000, interval: 200 })
      .toBe(0);

    expect(bridge.child.exitCode).toBeNull();
    const out = bridge.stdout().toString('utf8');
    for (const line of out.slice(0, -1).split('\n')) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(parsed.jsonrpc).toBe('2.0');
      expect('result' in parsed || 'error' in parsed || 'method' in parsed).toBe(true);
    }
    await bridge.close();
    expect((await bridge.exited).code).toBe(0);
    expect(out).not.toContain(CANARY);
    expect(bridge.stderrText).not.toContain(CANARY);
    expect(bridge.stderrText).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack traces
  }, 120_000);
});
