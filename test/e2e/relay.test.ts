import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  CallToolResultSchema,
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';

import type { GatewayFixture } from '../fixtures/gateway.js';
import { connectBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { clientScope, gatewayScope, resultText } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const gateway = gatewayScope();
const track = clientScope();

async function bridgeTo(gw: GatewayFixture, extra: Parameters<typeof connectBridge>[0] = {}): Promise<{ client: Client; bridge: BridgeProcess }> {
  return track(await connectBridge({ ...extra, args: ['--gateway', gw.url, ...(extra.args ?? [])], env: { HOOP_TOKEN: ADMIN, ...extra.env } }));
}

async function direct(gw: GatewayFixture): Promise<Client> {
  const client = new Client({ name: 'direct', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${ADMIN}` } } }));
  return track({ client }).client;
}

describe('the relay exposes exactly the gateway\'s tools', () => {
  it.each([
    ['a v1 gateway', { version: 'v1' } as const, 36],
    ['today\'s gateway', { version: 'head' } as const, 55],
    ['tomorrow\'s gateway', { extraTools: [{ name: 'future_tool', description: 'New', annotations: { readOnlyHint: true, title: 'Future' } }] }, 56],
  ])('on %s', async (_label, opts, count) => {
    const gw = await gateway(opts);
    const { client } = await bridgeTo(gw);
    const viaBridge = await client.listTools();
    const viaGateway = await (await direct(gw)).listTools();
    expect(viaBridge.tools).toHaveLength(count);
    expect(viaBridge.tools).toEqual(viaGateway.tools);
  });

  it('forwards tools/list_changed', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = await bridgeTo(gw);
    await client.listTools();
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    // the standalone GET stream opens just after initialize; give it a moment
    await expect.poll(() => gw.requests.some((r) => r.method === 'GET' && r.status === 200)).toBe(true);
    gw.setTools('head');
    gw.notifyToolsChanged();
    await changed;
    expect((await client.listTools()).tools).toHaveLength(55);
  });
});

describe('tools/call', () => {
  it('returns results unchanged, isError results included', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    const d = await direct(gw);
    for (const [name, args] of [
      ['connections_get', { name: 'staging-mysql' }],
      ['connections_get', { name: 'nope' }],
      ['connections_get', { unknown_key: 1 }],
      ['serverinfo_get', {}],
    ] as const) {
      expect(await client.callTool({ name, arguments: args })).toEqual(await d.callTool({ name, arguments: args }));
    }
    const invalid = await client.callTool({ name: 'connections_get', arguments: {} });
    expect(invalid.isError).toBe(true);
  });

  it('passes an unknown tool\'s JSON-RPC error through', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/unknown tool "no_such_tool"/);
  });

  it('identifies itself and the client upstream', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw, { clientName: 'claude-code' });
    await client.callTool({ name: 'fixture_echo_headers', arguments: {} });
    expect(gw.initializations[0]?.clientInfo).toEqual({ name: expect.stringMatching(/^claude-code \(via hoop-mcp \d+\.\d+\.\d+/), version: '9.9.9' });
    const post = gw.requests.find((r) => r.method === 'POST');
    expect(post?.headers['user-agent']).toMatch(/^hoop-mcp\/\d+\.\d+\.\d+/);
  });

  it.each([
    ['xapi- server keys go as Bearer and Api-Key', 'xapi-testserverkey', 'xapi-testserverkey'],
    ['hpk_ keys go only as Bearer', 'hpk_testkey123', undefined],
    ['user tokens go only as Bearer', ADMIN, undefined],
  ])('%s', async (_label, token, apiKey) => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw, { env: { HOOP_TOKEN: token } });
    const result = await client.callTool({ name: 'fixture_echo_headers', arguments: {} });
    expect(result.isError).toBeFalsy();
    const post = gw.requests.find((r) => r.method === 'POST');
    expect(post?.headers.authorization).toBe(`Bearer ${token}`);
    expect(post?.headers['api-key']).toBe(apiKey);
  });
});

describe('progress and cancellation', () => {
  it('hands the client\'s progress token to the gateway and relays progress back', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    const { content } = await client.callTool({ name: 'exec', arguments: { connection_name: 'prod-postgres', input: 'delete from t' } });
    const envelope = JSON.parse(resultText({ content })) as { review_id: string };
    const progress: number[] = [];
    setTimeout(() => gw.setReviewStatus(envelope.review_id, 'APPROVED'), 400);
    const result = await client.callTool({ name: 'reviews_wait', arguments: { id: envelope.review_id, timeout_seconds: 10 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(JSON.parse(resultText(result))).toMatchObject({ status: 'APPROVED', timed_out: false });
    expect(progress.length).toBeGreaterThan(0);
    const call = gw.calls.find((c) => c.tool === 'reviews_wait');
    // The SDK client uses its request id as the token: that exact value reached the gateway.
    expect(typeof call?.progressToken).toBe('number');
  });

  it('passes a progress token the client chose to the gateway unchanged, and its progress back under it', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw);
    const { content } = await client.callTool({ name: 'exec', arguments: { connection_name: 'prod-postgres', input: 'x' } });
    const { review_id } = JSON.parse(resultText({ content })) as { review_id: string };
    const tokens: Array<string | number> = [];
    // replaces the SDK's own handler, which only knows the tokens it made up itself
    client.setNotificationHandler(ProgressNotificationSchema, (n) => void tokens.push(n.params.progressToken));
    setTimeout(() => gw.setReviewStatus(review_id, 'APPROVED'), 400);
    const result = await client.request(
      { method: 'tools/call', params: { name: 'reviews_wait', arguments: { id: review_id, timeout_seconds: 10 }, _meta: { progressToken: 'client-token-7' } } },
      CallToolResultSchema,
    );
    expect(JSON.parse(resultText(result))).toMatchObject({ status: 'APPROVED' });
    expect(gw.calls.find((c) => c.tool === 'reviews_wait')?.progressToken).toBe('client-token-7');
    expect(tokens.length).toBeGreaterThan(0);
    expect(new Set(tokens)).toEqual(new Set(['client-token-7']));
  });

  it('does not cut a long wait that reports progress, even past --timeout', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw, { args: ['--timeout', '1'] });
    const { content } = await client.callTool({ name: 'exec', arguments: { connection_name: 'prod-postgres', input: 'x' } });
    const { review_id } = JSON.parse(resultText({ content })) as { review_id: string };
    // no onprogress: the bridge asks for heartbeats itself so the wait stays alive
    const result = await client.callTool({ name: 'reviews_wait', arguments: { id: review_id, timeout_seconds: 3 } });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(resultText(result))).toMatchObject({ status: 'PENDING', timed_out: true });
  });

  it('keeps a client that asked for progress informed while the gateway is silent', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw, { args: ['--timeout', '2'] });
    const seen: Array<{ progress: number; message?: string }> = [];
    const result = await client.callTool({ name: 'fixture_slow', arguments: { ms: 1_800 } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(result.isError).toBeFalsy();
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]?.message).toBe('waiting for the gateway');
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.progress).toBeGreaterThan(seen[i - 1]?.progress ?? 0);
  });

  it('times out a silent call with an actionable error and cancels it upstream', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw, { args: ['--timeout', '1'] });
    const result = await client.callTool({ name: 'fixture_slow', arguments: { ms: 5000 } });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/did not answer tools\/call fixture_slow within 1s/);
    await expect.poll(() => gw.calls.find((c) => c.tool === 'fixture_slow')?.cancelled).toBe(true);
  });

  it('stops the gateway\'s work when the client cancels', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw);
    const abort = new AbortController();
    const call = client.callTool({ name: 'fixture_slow', arguments: { ms: 10_000 } }, undefined, { signal: abort.signal });
    await expect.poll(() => gw.calls.some((c) => c.tool === 'fixture_slow')).toBe(true);
    abort.abort('user pressed escape');
    await expect(call).rejects.toThrow();
    await expect.poll(() => gw.calls.find((c) => c.tool === 'fixture_slow')?.cancelled).toBe(true);
  });
});

describe('server-to-client requests', () => {
  it('passes elicitation, sampling, roots and logging through when the client supports them', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw, { capabilities: { elicitation: {}, sampling: {}, roots: {} } });
    client.setRequestHandler(ElicitRequestSchema, () => ({ action: 'accept', content: { confirm: true } }));
    client.setRequestHandler(CreateMessageRequestSchema, () => ({ role: 'assistant', content: { type: 'text', text: 'sampled' }, model: 'test-model' }));
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(JSON.stringify(n.params.data)));

    expect(resultText(await client.callTool({ name: 'fixture_elicit', arguments: { message: 'Run it?' } }))).toContain('accept');
    expect(resultText(await client.callTool({ name: 'fixture_sample', arguments: {} }))).toContain('sampled');
    expect(resultText(await client.callTool({ name: 'fixture_roots', arguments: {} }))).toContain('file:///work');
    await client.callTool({ name: 'fixture_log', arguments: { message: 'hello from the gateway' } });
    await expect.poll(() => logs.join()).toContain('hello from the gateway');
    expect(gw.initializations[0]?.capabilities).toMatchObject({ elicitation: {}, sampling: {}, roots: {} });
  });

  it('passes the gateway\'s cancellation of its own request on to the client', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw, { capabilities: { elicitation: {} } });
    let cancelled = false;
    client.setRequestHandler(ElicitRequestSchema, (_req, extra) =>
      new Promise((_resolve, reject) => {
        extra.signal.addEventListener('abort', () => {
          cancelled = true;
          reject(new Error('cancelled'));
        });
      }),
    );
    const result = await client.callTool({ name: 'fixture_elicit', arguments: { message: 'Still there?', timeout_ms: 300 } });
    expect(result.isError).toBe(true);
    await expect.poll(() => cancelled).toBe(true);
  });

  it('does not offer the gateway what the client cannot do', async () => {
    const gw = await gateway({ fixtureTools: true });
    const { client } = await bridgeTo(gw);
    const result = await client.callTool({ name: 'fixture_elicit', arguments: { message: 'Run it?' } });
    expect(result.isError).toBe(true);
    expect(gw.initializations[0]?.capabilities).toEqual({});
  });
});

describe('serve options', () => {
  it('relays when started as `hoop-mcp serve …` explicitly', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = track(await connectBridge({ args: ['serve', '--gateway', gw.url], env: { HOOP_TOKEN: ADMIN } }));
    expect((await client.listTools()).tools).toHaveLength(36);
    expect(resultText(await client.callTool({ name: 'users_get', arguments: { email: 'admin@example.com' } }))).toContain('admin@example.com');
    expect(gw.calls.map((c) => c.tool)).toEqual(['users_get']);
  });

  it('takes --gateway over HOOP_APIURL', async () => {
    const gw = await gateway();
    const elsewhere = await gateway();
    const { client } = await bridgeTo(gw, { env: { HOOP_APIURL: elsewhere.url } });
    expect((await client.callTool({ name: 'connections_list', arguments: {} })).isError).toBeFalsy();
    expect(gw.calls).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('keeps stderr quiet at --log-level error and tells what it does at debug', async () => {
    const gw = await gateway();
    const run = async (level: string): Promise<string> => {
      const { client, bridge } = await connectBridge({ args: ['--gateway', gw.url, '--log-level', level], env: { HOOP_TOKEN: ADMIN } });
      await client.listTools();
      await client.callTool({ name: 'connections_list', arguments: {} });
      await client.close();
      return bridge.stderrText;
    };
    expect(await run('error')).toBe('');
    expect(await run('debug')).toMatch(/connected to/);
  });
});
