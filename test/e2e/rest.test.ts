import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';

import type { GatewayFixture } from '../fixtures/gateway.js';
import { connectBridge, type BridgeProcess } from '../helpers/bridge-process.js';
import { clientScope, gatewayScope, resultText } from '../helpers/scope.js';

const ADMIN = 'hoop-test-admin-token';
const USER = 'hoop-test-user-token';
const gateway = gatewayScope();
const track = clientScope();

async function bridgeTo(gw: GatewayFixture, backend: 'rest' | 'mcp' | 'auto', token = ADMIN): Promise<{ client: Client; bridge: BridgeProcess }> {
  return track(await connectBridge({ args: ['--gateway', gw.url, '--backend', backend], env: { HOOP_TOKEN: token } }));
}

async function direct(gw: GatewayFixture): Promise<Client> {
  const client = new Client({ name: 'direct', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${gw.url}/api/mcp`), { requestInit: { headers: { authorization: `Bearer ${ADMIN}` } } }));
  return track({ client }).client;
}

async function call(client: Pick<Client, 'callTool'>, name: string, args: Record<string, unknown> = {}): Promise<{ text: string; isError: boolean; json: unknown }> {
  const result = await client.callTool({ name, arguments: args });
  const text = resultText(result);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { text, isError: result.isError === true, json };
}

/** Seeds a few sessions (one awaiting review) in the shared state. */
function seedSessions(gw: GatewayFixture, n: number): void {
  const base = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const user = i % 2 === 0 ? 'admin@example.com' : 'user@example.com';
    gw.state.sessions.set(id, {
      id,
      connection: i % 3 === 0 ? 'staging-mysql' : 'prod-postgres',
      connection_type: 'database',
      connection_subtype: i % 3 === 0 ? 'mysql' : 'postgres',
      user_id: [...gw.state.users.values()].find((u) => u['email'] === user)?.['id'],
      user_email: user,
      user_name: user === 'admin@example.com' ? 'Admin User' : 'Plain User',
      status: 'done',
      verb: 'exec',
      created_at: new Date(base + i * 60_000).toISOString(),
      ended_at: new Date(base + i * 60_000 + 1000).toISOString(),
      exit_code: 0,
    });
  }
}

/** A pending review as hoop keeps one for an exec on prod-postgres by the plain user; one of its groups already approved. */
function seedReview(gw: GatewayFixture, id: string, session: string): void {
  gw.state.reviews.set(id, {
    id,
    session,
    type: 'onetime',
    status: 'PENDING',
    created_at: '2026-01-01T00:00:00Z',
    access_duration: 0,
    connection_name: 'prod-postgres',
    owner_email: 'user@example.com',
    review_groups_data: [
      { id: 'g1', group: 'admin', status: 'PENDING' },
      { id: 'g2', group: 'sre', status: 'APPROVED', reviewed_by: { id: 'u1', name: 'Admin User', email: 'admin@example.com' }, review_date: '2026-01-01T00:01:00Z' },
    ],
  });
}

function connId(gw: GatewayFixture, name: string): string {
  return String(gw.state.connections.get(name)?.['id']);
}

const JIT_RULE = { name: 'prod-jit', access_type: 'jit', connection_names: ['prod-postgres'], approval_required_groups: [], reviewers_groups: ['admin'], all_groups_must_approve: true };

/** Every write tool in a fixed order, ids taken from the run's own answers; returns each result. */
async function writeSequence(client: Client, prodId: string): Promise<Array<{ name: string; isError: boolean; text: string }>> {
  const out: Array<{ name: string; isError: boolean; text: string }> = [];
  const step = async (name: string, args: Record<string, unknown>): Promise<unknown> => {
    const r = await call(client, name, args);
    out.push({ name, isError: r.isError, text: r.text });
    return r.json;
  };
  const idOf = (v: unknown): string => (v as { id: string }).id;

  await step('connections_create', { name: 'new-db', type: 'database', subtype: 'postgres', agent_id: 'agent-1', tags: { team: 'data' } });
  await step('connections_create', { name: 'new-db', type: 'database', agent_id: 'agent-1' });
  await step('connections_update', { name: 'new-db', command: ['psql'], access_mode_exec: 'disabled', agent_id: '' });
  await step('connections_get', { name: 'new-db' });
  await step('connections_delete', { name: 'new-db' });
  await step('connections_delete', { name: 'new-db' });

  const g = idOf(await step('guardrails_create', { name: 'no-drop', input: { rules: [{ type: 'deny_words_list', words: ['drop'] }] }, connection_ids: [prodId, ''] }));
  await step('guardrails_create', { name: 'no-drop' });
  await step('guardrails_update', { id: g, name: 'no-drop-2', output: { rules: [{ type: 'pattern_match', pattern_regex: '\\d+' }] } });
  await step('guardrails_get', { id: g });
  await step('guardrails_delete', { id: g });
  await step('guardrails_update', { id: g, name: 'gone' });

  const d = idOf(await step('datamasking_rules_create', { name: 'pii', description: 'mask', supported_entity_types: [{ name: 'CONTACT_INFORMATION', entity_types: ['EMAIL_ADDRESS'] }], connection_ids: [prodId] }));
  await step('datamasking_rules_create', { name: 'pii' });
  await step('datamasking_rules_update', { id: d, score_threshold: 0.5, custom_entity_types: [{ name: 'TICKET', regex: 'T-\\d+', deny_list: ['T-0'], score: 0.9 }] });
  await step('datamasking_rules_get', { id: d });
  await step('datamasking_rules_delete', { id: d });
  await step('datamasking_rules_delete', { id: d });

  await step('usergroups_create', { name: 'sre', connections: ['prod-postgres'] });
  await step('usergroups_list', {});
  await step('usergroups_delete', { name: 'sre' });
  await step('usergroups_delete', { name: 'admin' });

  await step('access_request_rules_create', JIT_RULE);
  await step('access_request_rules_create', { ...JIT_RULE, name: 'other' });
  await step('access_request_rules_update', { ...JIT_RULE, description: 'why', all_groups_must_approve: false, min_approvals: 1, access_max_duration: 600 });
  await step('access_request_rules_get', { name: 'prod-jit' });
  await step('access_request_rules_delete', { name: 'prod-jit' });
  await step('access_request_rules_update', JIT_RULE);

  const rb = idOf(await step('runbook_rules_create', { name: 'ops', user_groups: ['sre'], connections: ['prod-postgres'], runbooks: [{ repository: 'git@x:r.git', name: 'a.sql' }] }));
  await step('runbook_rules_update', { id: rb, description: 'runbooks', user_groups: [] });
  await step('runbook_rules_update', { id: rb, name: '', connections: null });
  await step('runbook_rules_get', { id: rb });
  await step('runbook_rules_delete', { id: rb });
  await step('runbook_rules_get', { id: rb });

  await step('reviews_update', { id: 'rv-1', status: 'approved' });
  await step('reviews_update', { id: 'rv-1', status: 'REJECTED' });
  await step('reviews_update', { id: 'missing', status: 'APPROVED' });
  return out;
}

/**
 * What may differ between two runs on two gateways: generated ids and clock times (numbered by
 * first appearance, so a reused id still has to match), and the HTTP status REST adds to a
 * failure around the same words the MCP server uses ("… (HTTP 404: not found)", or
 * "the Hoop gateway answered HTTP 422: …" where hoop's own message is all there is).
 */
function normalise(results: Array<{ name: string; isError: boolean; text: string }>): Array<{ name: string; isError: boolean; text: string }> {
  const ids = new Map<string, string>();
  return results.map((r) => {
    const text = r.text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => ids.get(id) ?? ids.set(id, `<id-${String(ids.size + 1)}>`).get(id) ?? id)
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
    return { ...r, text: r.isError ? text.replace(/ \(HTTP \d{3}(: .*)?\)$|^the Hoop gateway answered HTTP \d{3}: /, '') : text };
  });
}

describe('--backend rest', () => {
  it('lists exactly the v1 gateway\'s 36 tools, names and input schemas', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = await bridgeTo(gw, 'rest');
    const ours = (await client.listTools()).tools;
    expect(gw.requests.map((r) => r.path)).not.toContain('/api/mcp');
    const theirs = (await (await direct(gw)).listTools()).tools;
    expect(ours.map((t) => t.name)).toEqual(theirs.map((t) => t.name));
    expect(ours.map((t) => t.inputSchema)).toEqual(theirs.map((t) => t.inputSchema));
  });

  it('names the MCP client in User-Client on every REST request, so gateway audit can tell clients apart', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = track(await connectBridge({ args: ['--gateway', gw.url, '--backend', 'rest'], env: { HOOP_TOKEN: ADMIN }, clientName: 'claude-code' }));
    await call(client, 'connections_list');
    const rest = gw.requests.filter((r) => r.path.startsWith('/api/connections'));
    expect(rest.length).toBeGreaterThan(0);
    for (const r of rest) {
      expect(r.headers['user-client']).toMatch(/^hoop-mcp\/\d+\.\d+\.\d+\S* \(claude-code 9\.9\.9\)$/);
      expect(r.headers['user-agent']).toMatch(/^hoop-mcp\//);
    }
  });

  it('answers every read tool with the same result as the gateway\'s MCP server on the same state', async () => {
    const gw = await gateway({ version: 'v1' });
    seedSessions(gw, 5);
    seedReview(gw, 'rv-1', '00000000-0000-4000-8000-000000000001');
    const viaRest = (await bridgeTo(gw, 'rest')).client;
    const viaMcp = (await bridgeTo(gw, 'mcp')).client;
    // one of each admin object, made by the gateway's own tools
    const id = async (name: string, args: Record<string, unknown>): Promise<string> => ((await call(viaMcp, name, args)).json as { id: string }).id;
    const guardrail = await id('guardrails_create', { name: 'no-drop', description: 'd', input: { rules: [{ type: 'deny_words_list', words: ['drop'] }] }, connection_ids: [connId(gw, 'prod-postgres')] });
    const masking = await id('datamasking_rules_create', { name: 'pii', supported_entity_types: [{ name: 'CONTACT_INFORMATION', entity_types: ['EMAIL_ADDRESS'] }], score_threshold: 0.6 });
    const runbook = await id('runbook_rules_create', { name: 'ops', user_groups: ['sre'], connections: ['prod-postgres'], runbooks: [{ repository: 'git@x:r.git', name: 'a.sql' }] });
    await call(viaMcp, 'access_request_rules_create', { ...JIT_RULE, description: '', min_approvals: 1, access_max_duration: 3600 });
    await call(viaMcp, 'access_request_rules_create', { ...JIT_RULE, name: 'cmd', access_type: 'command', connection_names: ['staging-mysql'], force_approval_groups: ['admin'] });

    const cases: Array<[string, Record<string, unknown>]> = [
      ['connections_list', {}],
      ['connections_list', { tag_selector: 'environment=production' }],
      ['connections_get', { name: 'prod-postgres' }],
      ['guardrails_list', {}],
      ['guardrails_get', { id: guardrail }],
      ['datamasking_rules_list', {}],
      ['datamasking_rules_get', { id: masking }],
      ['usergroups_list', {}],
      ['users_list', {}],
      ['users_get', { email: 'user@example.com' }],
      ['reviews_list', {}],
      ['reviews_get', { id: 'rv-1' }],
      ['reviews_get', { id: '00000000-0000-4000-8000-000000000001' }],
      ['access_request_rules_list', {}],
      ['access_request_rules_list', { page: 2, page_size: 1 }],
      ['access_request_rules_get', { name: 'prod-jit' }],
      ['runbook_rules_list', {}],
      ['runbook_rules_get', { id: runbook }],
      ['sessions_list', { connection: 'prod-postgres', limit: 2 }],
      ['sessions_get', { id: '00000000-0000-4000-8000-000000000001' }],
      ['serverinfo_get', {}],
    ];
    const readTools = (await viaMcp.listTools()).tools.filter((t) => t.annotations?.readOnlyHint === true).map((t) => t.name);
    expect(new Set(cases.map(([name]) => name))).toEqual(new Set(readTools));
    for (const [name, args] of cases) {
      const [a, b] = await Promise.all([call(viaRest, name, args), call(viaMcp, name, args)]);
      expect(b.isError, `${name} via MCP: ${b.text}`).toBe(false);
      // REST's review list has no connection or requester (hoop-rest-api.md §3.1); fetching every review's session would cost a request per review
      const mcp = name === 'reviews_list' ? { ...b, json: (b.json as Array<Record<string, unknown>>).map(({ connection_name: _c, owner_email: _o, ...r }) => r) } : b;
      expect({ name, ...a, text: undefined }).toEqual({ name, ...mcp, text: undefined });
      if (name !== 'reviews_list') expect(a.text, name).toBe(b.text);
    }

    // not found reads: the same words, and REST adds the HTTP status
    const missing: Array<[string, Record<string, unknown>]> = [
      ['connections_get', { name: 'nope' }],
      ['guardrails_get', { id: 'nope' }],
      ['datamasking_rules_get', { id: 'nope' }],
      ['users_get', { email: 'nope@example.com' }],
      ['reviews_get', { id: 'nope' }],
      ['access_request_rules_get', { name: 'nope' }],
      ['runbook_rules_get', { id: 'nope' }],
    ];
    for (const [name, args] of missing) {
      const [a, b] = await Promise.all([call(viaRest, name, args), call(viaMcp, name, args)]);
      expect({ name, isError: a.isError }).toEqual({ name, isError: true });
      expect(b.isError).toBe(true);
      expect(a.text).toMatch(new RegExp(`^${b.text} \\(HTTP 404`));
    }
  });

  it('answers the same create, update and delete sequence as the gateway\'s MCP server, result for result', async () => {
    const runs = [];
    for (const backend of ['rest', 'mcp'] as const) {
      const gw = await gateway({ version: 'v1' });
      seedSessions(gw, 2);
      seedReview(gw, 'rv-1', '00000000-0000-4000-8000-000000000001');
      runs.push(normalise(await writeSequence((await bridgeTo(gw, backend)).client, connId(gw, 'prod-postgres'))));
    }
    const [viaRest, viaMcp] = runs;
    expect(viaRest).toEqual(viaMcp);
  });

  // --backend rest beside a live /api/mcp, and the default (auto) against a gateway that predates MCP
  it.each([
    ['--backend rest', { version: 'v1' }, ['--backend', 'rest']],
    ['default --backend auto, no /api/mcp', { version: 'v1', mcpEnabled: false }, []],
  ] as const)('calls all 36 tools (%s): CRUD round trips really change the gateway\'s state', async (_label, opts, backendArgs) => {
    const gw = await gateway(opts);
    seedSessions(gw, 3);
    const { client: bridged } = track(await connectBridge({ args: ['--gateway', gw.url, ...backendArgs], env: { HOOP_TOKEN: ADMIN } }));
    const called = new Set<string>();
    const client = {
      callTool: (params: { name: string; arguments?: Record<string, unknown> }): ReturnType<Client['callTool']> => {
        called.add(params.name);
        return bridged.callTool(params);
      },
    };

    const conn = await call(client, 'connections_create', { name: 'new-db', type: 'database', subtype: 'postgres', agent_id: 'agent-1', tags: { team: 'data' } });
    expect(conn.isError).toBe(false);
    expect(gw.state.connections.get('new-db')?.['tags']).toEqual({ team: 'data' });
    expect((await call(client, 'connections_list', { tag_selector: 'team=data' })).json).toEqual([expect.objectContaining({ name: 'new-db' })]);
    expect((await call(client, 'connections_get', { name: 'new-db' })).json).toMatchObject({ name: 'new-db', agent_id: 'agent-1' });
    expect((await call(client, 'connections_update', { name: 'new-db', command: ['psql'] })).json).toMatchObject({ name: 'new-db', command: ['psql'], tags: { team: 'data' } });
    expect((await call(client, 'connections_delete', { name: 'new-db' })).text).toBe('connection "new-db" deleted successfully');
    expect(gw.state.connections.has('new-db')).toBe(false);

    const g = (await call(client, 'guardrails_create', { name: 'no-drop', input: { rules: [{ type: 'deny_words_list', words: ['drop'] }] } })).json as { id: string };
    expect((await call(client, 'guardrails_list')).json).toEqual([expect.objectContaining({ id: g.id, name: 'no-drop' })]);
    expect((await call(client, 'guardrails_get', { id: g.id })).json).toMatchObject({ input: { rules: [{ type: 'deny_words_list' }] } });
    expect((await call(client, 'guardrails_update', { id: g.id, name: 'no-drop-2' })).json).toMatchObject({ name: 'no-drop-2' });
    expect((await call(client, 'guardrails_delete', { id: g.id })).text).toContain('deleted successfully');
    expect(gw.state.guardrails.size).toBe(0);

    const d = (await call(client, 'datamasking_rules_create', { name: 'pii', supported_entity_types: [{ name: 'CONTACT_INFORMATION', entity_types: ['EMAIL_ADDRESS'] }] })).json as { id: string };
    expect((await call(client, 'datamasking_rules_list')).json).toHaveLength(1);
    expect((await call(client, 'datamasking_rules_get', { id: d.id })).json).toMatchObject({ name: 'pii' });
    expect((await call(client, 'datamasking_rules_update', { id: d.id, score_threshold: 0.5 })).json).toMatchObject({ name: 'pii', score_threshold: 0.5 });
    expect((await call(client, 'datamasking_rules_delete', { id: d.id })).isError).toBe(false);

    expect((await call(client, 'usergroups_create', { name: 'sre', connections: ['prod-postgres'] })).json).toEqual({
      group: 'sre',
      bound_connections: [{ connection_name: 'prod-postgres', connection_id: gw.state.connections.get('prod-postgres')?.['id'], allowed_groups: ['sre'] }],
      bound_attributes: [],
    });
    expect((await call(client, 'usergroups_list')).json).toContain('sre');
    expect((await call(client, 'usergroups_delete', { name: 'sre' })).text).toBe('user group "sre" deleted successfully');
    expect((await call(client, 'usergroups_delete', { name: 'admin' })).text).toMatch(/^cannot delete the admin group \(HTTP 422/);

    expect((await call(client, 'users_list')).json).toHaveLength(gw.state.users.size);
    expect((await call(client, 'users_get', { email: 'admin@example.com' })).json).toMatchObject({ email: 'admin@example.com' });

    const rule = { name: 'prod-jit', access_type: 'jit', connection_names: ['prod-postgres'], approval_required_groups: [], reviewers_groups: ['admin'], all_groups_must_approve: true };
    expect((await call(client, 'access_request_rules_create', rule)).json).toMatchObject({ name: 'prod-jit', approval_required_groups: [] });
    const conflict = await call(client, 'access_request_rules_create', { ...rule, name: 'other' });
    expect(conflict).toMatchObject({ isError: true, text: expect.stringMatching(/HTTP 422: an access request rule with the same connection names/) });
    expect((await call(client, 'access_request_rules_list')).json).toMatchObject({ pages: { total: 1 }, data: [{ name: 'prod-jit' }] });
    expect((await call(client, 'access_request_rules_get', { name: 'prod-jit' })).json).toMatchObject({ reviewers_groups: ['admin'] });
    expect((await call(client, 'access_request_rules_update', { ...rule, description: 'why' })).json).toMatchObject({ description: 'why' });
    expect((await call(client, 'access_request_rules_delete', { name: 'prod-jit' })).isError).toBe(false);

    const rb = (await call(client, 'runbook_rules_create', { name: 'ops', connections: ['prod-postgres'], runbooks: [{ repository: 'git@x:r.git', name: 'a.sql' }] })).json as { id: string };
    expect((await call(client, 'runbook_rules_list')).json).toHaveLength(1);
    expect((await call(client, 'runbook_rules_update', { id: rb.id, description: 'runbooks' })).json).toMatchObject({ name: 'ops', description: 'runbooks', connections: ['prod-postgres'] });
    expect((await call(client, 'runbook_rules_get', { id: rb.id })).json).toMatchObject({ runbooks: [{ name: 'a.sql' }] });
    expect((await call(client, 'runbook_rules_delete', { id: rb.id })).isError).toBe(false);

    expect((await call(client, 'sessions_list')).json).toMatchObject({ total: 3, items: expect.any(Array) });
    expect((await call(client, 'sessions_get', { id: '00000000-0000-4000-8000-000000000000' })).json).toMatchObject({ user_email: 'admin@example.com' });
    expect((await call(client, 'serverinfo_get')).json).toMatchObject({ version: '1.40.0', commit: 'fixture', license_info: { is_valid: true } });

    // a review, approved over REST, as the MCP tool would
    const rid = 'rv-1';
    gw.state.reviews.set(rid, { id: rid, session: '00000000-0000-4000-8000-000000000001', type: 'onetime', status: 'PENDING', created_at: '2026-01-01T00:00:00Z', access_duration: 0, review_groups_data: [{ id: 'g1', group: 'admin', status: 'PENDING' }] });
    expect((await call(client, 'reviews_list')).json).toHaveLength(1);
    expect((await call(client, 'reviews_get', { id: rid })).json).toMatchObject({ id: rid, connection_name: 'prod-postgres', owner_email: 'user@example.com' });
    expect((await call(client, 'reviews_update', { id: rid, status: 'approved' })).json).toMatchObject({ status: 'APPROVED' });
    expect(gw.state.reviews.get(rid)?.['status']).toBe('APPROVED');
    expect((await call(client, 'reviews_update', { id: 'missing', status: 'APPROVED' })).text).toMatch(/^review not found \(HTTP 500/);
    expect([...called].sort()).toEqual((await bridged.listTools()).tools.map((t) => t.name).sort());
    expect(called.size).toBe(36);
    expect(gw.requests.filter((r) => r.path === '/api/mcp' && r.status === 200)).toHaveLength(0);
  });

  it('catches bad input before any request, naming the field', async () => {
    const gw = await gateway();
    const { client } = await bridgeTo(gw, 'rest');
    const before = gw.requests.length;
    const bad = await call(client, 'connections_get', { name: 42 });
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/"name": expected string, received number/);
    expect((await call(client, 'guardrails_get', {})).text).toMatch(/"id" is required/);
    expect((await call(client, 'users_list', { extra: 1 })).text).toMatch(/unknown argument "extra"/);
    expect((await call(client, 'access_request_rules_create', { name: 'x', access_type: 'forever', approval_required_groups: [], reviewers_groups: ['a'], all_groups_must_approve: true })).text).toMatch(/"access_type"/);
    expect(gw.requests.length).toBe(before);
  });

  it('maps 401 and 403 as the relay does', async () => {
    const gw = await gateway();
    const expired = (await bridgeTo(gw, 'rest', 'expired-token')).client;
    expect((await call(expired, 'connections_list')).text).toMatch(/rejected the token \(401.*run: npx hoop-mcp login/);
    const user = (await bridgeTo(gw, 'rest', USER)).client;
    expect((await call(user, 'guardrails_list')).text).toMatch(/your Hoop role does not allow this \(403: access denied\)/);
    expect((await call(user, 'connections_create', { name: 'x-db', type: 'database' })).isError).toBe(true);
  });

  it('pages sessions_list for the agent, bounded, with progress', async () => {
    const gw = await gateway();
    seedSessions(gw, 250);
    const { client } = await bridgeTo(gw, 'rest');
    const progress: number[] = [];
    const result = await client.callTool({ name: 'sessions_list', arguments: { connection: 'prod-postgres', limit: 1000 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
    const body = JSON.parse(resultText(result)) as { total: number; has_next_page: boolean; items: Array<{ user_email: string }> };
    const expected = [...gw.state.sessions.values()].filter((s) => s['connection'] === 'prod-postgres').length;
    expect(body.items).toHaveLength(expected);
    expect(body.total).toBe(expected);
    expect(body.has_next_page).toBe(false);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(gw.requests.filter((r) => r.path === '/api/sessions')).toHaveLength(Math.ceil(expected / 100));
    // by email, as the MCP tool takes it
    const mine = JSON.parse(resultText(await client.callTool({ name: 'sessions_list', arguments: { user: 'user@example.com', limit: 500 } }))) as { items: unknown[] };
    expect(mine.items).toHaveLength(125);
  });
});

describe('--backend auto and mcp against a gateway without /api/mcp', () => {
  it('auto falls back to REST and logs it once (no list_changed: nothing was listed before)', async () => {
    const gw = await gateway({ mcpEnabled: false });
    const { client, bridge } = await bridgeTo(gw, 'auto');
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed++;
    });
    const tools = (await client.listTools()).tools;
    expect(tools).toHaveLength(36);
    expect((await call(client, 'connections_get', { name: 'prod-postgres' })).json).toMatchObject({ name: 'prod-postgres' });
    expect(bridge.stderrText.match(/serving hoop's v1 tools over its REST API/g)).toHaveLength(1);
    expect(changed).toBe(0);
  });

  it('auto switches mid-session when /api/mcp disappears after a list was served', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = await bridgeTo(gw, 'auto');
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    expect((await client.listTools()).tools).toHaveLength(36);
    await gw.stop();
    await gateway({ mcpEnabled: false, port: gw.port });
    expect((await call(client, 'users_get', { email: 'admin@example.com' })).json).toMatchObject({ email: 'admin@example.com' });
    await changed;
  });

  it('mcp fails clearly and names the other backends', async () => {
    const gw = await gateway({ mcpEnabled: false });
    const { client } = await bridgeTo(gw, 'mcp');
    const r = await call(client, 'connections_list');
    expect(r.isError).toBe(true);
    expect(r.text).toMatch(/does not serve MCP.*--backend auto \(the default\) or --backend rest/);
  });
});

describe('--backend rest when the gateway is slow, cancelled or down', () => {
  const slowList = { delayMs: 3000, path: '/api/connections', method: 'GET' } as const;

  it('gives up on a silent REST call after --timeout, says what to do, and keeps serving', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = track(await connectBridge({ args: ['--gateway', gw.url, '--backend', 'rest', '--timeout', '1'], env: { HOOP_TOKEN: ADMIN } }));
    gw.failNext(slowList);
    const slow = await call(client, 'connections_list');
    expect(slow).toMatchObject({ isError: true, text: expect.stringMatching(/did not answer connections_list within 1s \(--timeout\)\. .*check before retrying/) });
    expect((await call(client, 'users_get', { email: 'admin@example.com' })).json).toMatchObject({ email: 'admin@example.com' });
  });

  it('drops a REST call the client cancels, answers nothing for it, and keeps serving', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client, bridge } = await bridgeTo(gw, 'rest');
    gw.failNext({ ...slowList, delayMs: 1500 });
    const abort = new AbortController();
    const cancelled = client.callTool({ name: 'connections_list', arguments: {} }, undefined, { signal: abort.signal });
    await expect.poll(() => gw.requests.some((r) => r.path === '/api/connections')).toBe(true);
    abort.abort('user pressed escape');
    await expect(cancelled).rejects.toThrow();
    expect((await call(client, 'users_get', { email: 'admin@example.com' })).json).toMatchObject({ email: 'admin@example.com' });
    // once the gateway got round to the dropped request, the cancelled call (id 1, after initialize) still has no answer
    await expect.poll(() => gw.requests.find((r) => r.path === '/api/connections')?.status, { timeout: 5000 }).not.toBe(0);
    const answered = bridge.stdoutMessages().flatMap((m) => (typeof m === 'object' && m !== null && 'id' in m ? [m.id] : []));
    expect(answered).toEqual([0, 2]);
  });

  it('says the gateway cannot be reached while it is down, and recovers when it is back', async () => {
    const gw = await gateway({ version: 'v1' });
    const { client } = await bridgeTo(gw, 'rest');
    await gw.stop();
    const down = await call(client, 'connections_list');
    expect(down).toMatchObject({ isError: true, text: expect.stringMatching(/cannot reach the Hoop gateway at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/) });
    await gw.start();
    expect((await call(client, 'connections_list')).json).toHaveLength(2);
  });
});
