import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { Credentials } from '../gateway/credentials.js';
import type { FetchLike } from '../gateway/http.js';
import { RestClient } from '../gateway/rest.js';
import { createLogger } from '../shared/log.js';
import { Redactor } from '../shared/redact.js';
import { allTools, type RestTool } from './index.js';

const BASE = 'https://gw.test/prefix';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

type Reply = { status?: number; json?: unknown };

/** Answers the bridge's requests in order from `replies` (then 200 `{}`), recording each. */
function gateway(replies: Reply[] = []): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.all(`${BASE}/api/*`, async ({ request }) => {
      const url = new URL(request.url);
      const text = await request.text();
      seen.push({
        method: request.method,
        path: url.pathname.slice('/prefix/api'.length),
        query: Object.fromEntries(url.searchParams),
        ...(text !== '' ? { body: JSON.parse(text) as unknown } : {}),
      });
      const reply = replies.shift() ?? {};
      if (reply.status === 204) return new HttpResponse(null, { status: 204 });
      return HttpResponse.json(reply.json ?? {}, { status: reply.status ?? 200 });
    }),
  );
  return seen;
}

async function run(name: string, args: Record<string, unknown>, progress: unknown[] = []): Promise<{ text: string; isError: boolean }> {
  const redactor = new Redactor();
  const credentials = new Credentials(redactor);
  credentials.use('user-token-123456', 'env');
  const logger = createLogger({ level: 'error', redactor, stderr: { write: () => true } });
  // msw intercepts the global fetch; production code gets undici's fetch through the same seam.
  const fetch: FetchLike = (url, init) => globalThis.fetch(url, init);
  const rest = new RestClient({ base: BASE, gateway: BASE, fetch, credentials, userAgent: 'hoop-mcp/test', logger });
  const tool = allTools().find((t) => t.name === name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  const result = await tool.run(args, { rest, signal: AbortSignal.timeout(5_000), progress: (p) => progress.push(p) });
  const content = result['content'] as Array<{ text: string }>;
  return { text: content.map((c) => c.text).join(''), isError: result['isError'] === true };
}

const rule = { name: 'r 1', access_type: 'jit', approval_required_groups: null, reviewers_groups: ['sre'], all_groups_must_approve: true };
const ruleBody = {
  name: 'r 1',
  description: null,
  access_type: 'jit',
  connection_names: [],
  approval_required_groups: [],
  reviewers_groups: ['sre'],
  force_approval_groups: [],
  skip_review_groups: [],
  all_groups_must_approve: true,
  min_approvals: null,
  access_max_duration: null,
  attributes: [],
};

/** tool, arguments, the replies, and exactly the requests it must make. */
const CASES: Array<[string, Record<string, unknown>, Reply[], Seen[]]> = [
  ['connections_list', { type: 'database', tags: ['a', 'b'], tag_selector: 'env=prod,team!=x', search: '' }, [{ json: [] }], [{ method: 'GET', path: '/connections', query: { type: 'database', tags: 'a,b', tag_selector: 'env=prod,team!=x' } }]],
  ['connections_get', { name: 'a/b c' }, [], [{ method: 'GET', path: '/connections/a%2Fb%20c', query: {} }]],
  [
    'connections_create',
    { name: 'db', type: 'database', agent_id: 'ag', secrets: { 'envvar:X': 'eA==' }, tags: { t: 'v' }, command: null },
    [{ status: 201 }],
    [{ method: 'POST', path: '/connections', query: {}, body: { name: 'db', type: 'database', subtype: '', agent_id: 'ag', access_mode_runbooks: 'enabled', access_mode_exec: 'enabled', access_mode_connect: 'enabled', access_schema: 'enabled', secret: { 'envvar:X': 'eA==' }, connection_tags: { t: 'v' } } }],
  ],
  ['connections_update', { name: 'db', agent_id: '', access_mode_exec: '', reviewers: ['a'] }, [], [{ method: 'PATCH', path: '/connections/db', query: {}, body: { reviewers: ['a'], agent_id: '' } }]],
  ['connections_delete', { name: 'db' }, [{ status: 204 }], [{ method: 'DELETE', path: '/connections/db', query: {} }]],
  ['guardrails_list', {}, [{ json: null }], [{ method: 'GET', path: '/guardrails', query: {} }]],
  ['guardrails_get', { id: 'g/1' }, [], [{ method: 'GET', path: '/guardrails/g%2F1', query: {} }]],
  ['guardrails_create', { name: 'g', connection_ids: ['', 'c1'] }, [], [{ method: 'POST', path: '/guardrails', query: {}, body: { name: 'g', description: '', input: {}, output: {}, connection_ids: ['c1'] } }]],
  ['guardrails_update', { id: 'g1', name: 'g', input: { rules: [] } }, [], [{ method: 'PUT', path: '/guardrails/g1', query: {}, body: { name: 'g', description: '', input: { rules: [] }, output: {}, connection_ids: [] } }]],
  ['guardrails_delete', { id: 'g1' }, [{ status: 204 }], [{ method: 'DELETE', path: '/guardrails/g1', query: {} }]],
  ['datamasking_rules_list', {}, [{ json: [] }], [{ method: 'GET', path: '/datamasking-rules', query: {} }]],
  ['datamasking_rules_get', { id: 'd1' }, [], [{ method: 'GET', path: '/datamasking-rules/d1', query: {} }]],
  [
    'datamasking_rules_create',
    { name: 'pii', custom_entity_types: [{ name: 'X', regex: 'x+' }] },
    [],
    [{ method: 'POST', path: '/datamasking-rules', query: {}, body: { name: 'pii', description: '', connection_ids: [], supported_entity_types: [], custom_entity_types: [{ name: 'X', regex: 'x+', deny_list: [], score: 0 }], score_threshold: null, attributes: [] } }],
  ],
  [
    'datamasking_rules_update',
    { id: 'd1', score_threshold: 0.4 },
    [{ json: { id: 'd1', name: 'pii', attributes: ['keep'] } }],
    [
      { method: 'GET', path: '/datamasking-rules/d1', query: {} },
      { method: 'PUT', path: '/datamasking-rules/d1', query: {}, body: { name: 'pii', description: '', connection_ids: [], supported_entity_types: [], custom_entity_types: [], score_threshold: 0.4, attributes: ['keep'] } },
    ],
  ],
  ['datamasking_rules_delete', { id: 'd1' }, [{ status: 204 }], [{ method: 'DELETE', path: '/datamasking-rules/d1', query: {} }]],
  ['usergroups_list', {}, [{ json: null }], [{ method: 'GET', path: '/users/groups', query: {} }]],
  [
    'usergroups_create',
    { name: 'sre', connections: ['pg'], attributes: ['prod'] },
    [{ status: 201, json: { name: 'sre' } }, { json: { id: 'c1' } }, { status: 404, json: { message: 'not found' } }, { json: { config: ['sre'] } }, { json: { name: 'prod', access_control_group_names: ['dev'] } }, {}],
    [
      { method: 'POST', path: '/users/groups', query: {}, body: { name: 'sre' } },
      { method: 'GET', path: '/connections/pg', query: {} },
      { method: 'GET', path: '/plugins/access_control/conn/c1', query: {} },
      { method: 'PUT', path: '/plugins/access_control/conn/c1', query: {}, body: { config: ['sre'] } },
      { method: 'GET', path: '/attributes/prod', query: {} },
      { method: 'PUT', path: '/attributes/prod', query: {}, body: { name: 'prod', access_control_group_names: ['dev', 'sre'] } },
    ],
  ],
  ['usergroups_delete', { name: 'a b' }, [{ status: 204 }], [{ method: 'DELETE', path: '/users/groups/a%20b', query: {} }]],
  ['users_list', {}, [{ json: [] }], [{ method: 'GET', path: '/users', query: {} }]],
  ['users_get', { email: 'a+b@x.io' }, [], [{ method: 'GET', path: '/users/a%2Bb%40x.io', query: {} }]],
  ['reviews_list', {}, [{ json: [] }], [{ method: 'GET', path: '/reviews', query: {} }]],
  [
    'reviews_get',
    { id: 'r1' },
    [{ json: { id: 'r1', session: 's1' } }, { json: { connection: 'pg', user: 'a@x.io' } }],
    [
      { method: 'GET', path: '/reviews/r1', query: {} },
      { method: 'GET', path: '/sessions/s1', query: {} },
    ],
  ],
  ['reviews_update', { id: 'r1', status: 'rejected', rejection_reason: 'no', force_review: false }, [], [{ method: 'PUT', path: '/reviews/r1', query: {}, body: { status: 'REJECTED', force_review: false, rejection_reason: 'no' } }]],
  ['access_request_rules_list', { page: 2, page_size: 10 }, [{ json: { pages: { total: 0, page: 2, size: 10 }, data: null } }], [{ method: 'GET', path: '/access-requests/rules', query: { page: '2', page_size: '10' } }]],
  ['access_request_rules_get', { name: 'r 1' }, [], [{ method: 'GET', path: '/access-requests/rules/r%201', query: {} }]],
  ['access_request_rules_create', rule, [], [{ method: 'POST', path: '/access-requests/rules', query: {}, body: ruleBody }]],
  ['access_request_rules_update', rule, [], [{ method: 'PUT', path: '/access-requests/rules/r%201', query: {}, body: ruleBody }]],
  ['access_request_rules_delete', { name: 'r 1' }, [{ status: 204 }], [{ method: 'DELETE', path: '/access-requests/rules/r%201', query: {} }]],
  ['runbook_rules_list', {}, [{ json: [] }], [{ method: 'GET', path: '/runbooks/rules', query: {} }]],
  ['runbook_rules_get', { id: 'b1' }, [], [{ method: 'GET', path: '/runbooks/rules/b1', query: {} }]],
  ['runbook_rules_create', { name: 'ops' }, [], [{ method: 'POST', path: '/runbooks/rules', query: {}, body: { name: 'ops', description: '', user_groups: [], connections: [], runbooks: [] } }]],
  [
    'runbook_rules_update',
    { id: 'b1', user_groups: ['sre'], connections: [] },
    [{ json: { id: 'b1', name: 'ops', description: 'd', connections: ['pg'], runbooks: null } }],
    [
      { method: 'GET', path: '/runbooks/rules/b1', query: {} },
      // an empty list clears, as hoop's tool does; a missing one keeps what is stored
      { method: 'PUT', path: '/runbooks/rules/b1', query: {}, body: { name: 'ops', description: 'd', user_groups: ['sre'], connections: [], runbooks: [] } },
    ],
  ],
  ['runbook_rules_delete', { id: 'b1' }, [{ status: 204 }], [{ method: 'DELETE', path: '/runbooks/rules/b1', query: {} }]],
  [
    'sessions_list',
    { user: 'a@x.io', connection: 'pg', review_status: 'PENDING', start_date: '2026-01-01T00:00:00Z', end_date: '2026-02-01T00:00:00Z', limit: 5, offset: 10 },
    [{ json: { id: 'subject-1' } }, { json: { data: [], total: 0, total_is_capped: false, has_next_page: false } }],
    [
      { method: 'GET', path: '/users/a%40x.io', query: {} },
      { method: 'GET', path: '/sessions', query: { user: 'subject-1', connection: 'pg', 'review.status': 'PENDING', start_date: '2026-01-01T00:00:00Z', end_date: '2026-02-01T00:00:00Z', count: 'capped', limit: '5', offset: '10' } },
    ],
  ],
  ['sessions_get', { id: 's1' }, [], [{ method: 'GET', path: '/sessions/s1', query: {} }]],
  ['serverinfo_get', {}, [], [{ method: 'GET', path: '/serverinfo', query: {} }]],
];

describe('each tool makes exactly the REST requests hoop documents', () => {
  it('covers all 36 tools', () => {
    expect(new Set(CASES.map(([name]) => name))).toEqual(new Set(allTools().map((t) => t.name)));
  });

  it.each(CASES)('%s', async (name, args, replies, expected) => {
    const seen = gateway(replies);
    const result = await run(name, args);
    expect(result.isError, result.text).toBe(false);
    expect(seen).toEqual(expected);
  });
});

describe('statuses', () => {
  it.each([
    ['connections_get', { name: 'x' }, 404, 'not found', /^connection not found \(HTTP 404: not found\)$/],
    ['connections_create', { name: 'x', type: 'database' }, 409, 'Connection already exists.', /^connection already exists \(HTTP 409/],
    ['connections_update', { name: 'x' }, 400, 'unable to update a connection managed by its agent', /HTTP 400: unable to update a connection managed by its agent/],
    ['guardrails_get', { id: 'x' }, 404, 'resource not found', /^guardrail rule not found/],
    ['datamasking_rules_create', { name: 'x' }, 422, 'redact provider not configured', /HTTP 422: redact provider not configured/],
    ['usergroups_delete', { name: 'admin' }, 422, 'cannot delete admin group admin', /^cannot delete the admin group \(HTTP 422/],
    ['users_get', { email: 'x@y.z' }, 404, 'user x@y.z not found', /^user not found/],
    ['reviews_get', { id: 'x' }, 404, 'resource not found', /^review not found/],
    ['reviews_update', { id: 'x', status: 'APPROVED' }, 500, 'failed updating review status: review not found', /^review not found \(HTTP 500/],
    ['reviews_update', { id: 'x', status: 'APPROVED' }, 500, 'failed updating review status: time window can only be set once', /^time window can only be set once/],
    ['access_request_rules_create', rule, 422, 'access request rule with the same name already exists', /HTTP 422: access request rule with the same name/],
    ['runbook_rules_get', { id: 'x' }, 404, 'resource not found', /^runbook rule not found/],
    ['sessions_get', { id: 'x' }, 403, 'user is not allowed to access this session', /^access denied: you can only view your own sessions/],
    ['sessions_get', { id: 'x' }, 404, 'not found', /^session not found/],
    ['guardrails_list', {}, 401, 'access denied', /rejected the token \(401: access denied\).*run: npx hoop-mcp login/],
    ['guardrails_list', {}, 403, 'access denied', /your Hoop role does not allow this \(403: access denied\)/],
    ['serverinfo_get', {}, 502, 'bad gateway', /the Hoop gateway failed \(HTTP 502: bad gateway\)/],
  ] as const)('%s: HTTP %i', async (name, args, status, message, text) => {
    gateway([{ status, json: { message } }]);
    const result = await run(name, args);
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(text);
  });

  /** The MCP server's "not found" for each family addressed by one id or name. */
  const NOT_FOUND: Partial<Record<RestTool['domain'], string>> = {
    connections: 'connection not found',
    guardrails: 'guardrail rule not found',
    datamasking: 'data masking rule not found',
    'access-request-rules': 'access request rule not found',
    'runbook-rules': 'runbook rule not found',
  };
  const keyed = allTools().filter((t) => NOT_FOUND[t.domain] !== undefined && /_(get|update|delete)$/.test(t.name));

  it('covers get, update and delete of every keyed family', () => {
    expect(keyed).toHaveLength(15);
  });

  // required arguments are all strings but for the rule, whose access_type is an enum
  it.each(keyed.map((t) => [t.name, t] as const))('%s: HTTP 404 in the MCP server\'s words', async (_name, tool) => {
    const required = (tool.wire().inputSchema as { required?: string[] }).required ?? [];
    const args = tool.name === 'access_request_rules_update' ? rule : Object.fromEntries(required.map((k) => [k, 'x']));
    gateway([{ status: 404, json: { message: 'not found' } }]);
    const result = await run(tool.name, args);
    expect(result).toEqual({ isError: true, text: `${NOT_FOUND[tool.domain] ?? ''} (HTTP 404: not found)` });
  });

  it.each([
    ['guardrails_create', { name: 'x' }, 'guardrail rule already exists'],
    ['datamasking_rules_create', { name: 'x' }, 'data masking rule already exists'],
  ] as const)('%s: HTTP 409 in the MCP server\'s words', async (name, args, words) => {
    gateway([{ status: 409, json: { message: 'resource already exists' } }]);
    expect(await run(name, args)).toEqual({ isError: true, text: `${words} (HTTP 409: resource already exists)` });
  });

  it('usergroups_create names the connection or attribute it could not bind', async () => {
    gateway([{ status: 201, json: { name: 'sre' } }, { status: 404, json: { message: 'not found' } }]);
    expect(await run('usergroups_create', { name: 'sre', connections: ['pg'] })).toEqual({ isError: true, text: 'connection "pg" not found (HTTP 404: not found)' });
    gateway([{ status: 201, json: { name: 'sre' } }, { status: 404, json: { message: 'attribute not found' } }]);
    expect((await run('usergroups_create', { name: 'sre', attributes: ['pii'] })).text).toBe('attribute "pii" not found — create the attribute first (HTTP 404: attribute not found)');
  });

  it('checks review statuses and session bounds before sending anything', async () => {
    const seen = gateway();
    expect((await run('reviews_update', { id: 'r', status: 'maybe' })).text).toMatch(/invalid status "maybe"/);
    expect((await run('sessions_list', { limit: -1 })).text).toBe('invalid limit, must be at least 1');
    expect((await run('sessions_list', { offset: 10_001 })).text).toMatch(/must not be greater than 10000/);
    expect((await run('sessions_list', { start_date: 'yesterday' })).text).toMatch(/invalid start_date format/);
    expect(seen).toEqual([]);
  });
});

describe('smoothing REST into the MCP server\'s answers', () => {
  it('keeps nanosecond durations, drops what MCP leaves out, sorts keys', async () => {
    gateway([{ json: [{ id: 'r', session: 's', type: 'jit', status: 'APPROVED', access_duration: 3_600_000_000_000, created_at: 't', revoke_at: null, time_window: null, force_approval_groups: [], review_groups_data: [{ id: 'g', group: 'sre', status: 'APPROVED', reviewed_by: { id: 'u', name: 'N', email: 'e', slack_id: '' }, review_date: 'd', forced_review: false }] }] }]);
    expect((await run('reviews_list', {})).text).toBe(
      '[{"access_duration":3600000000000,"created_at":"t","id":"r","review_groups_data":[{"group":"sre","id":"g","review_date":"d","reviewed_by":{"email":"e","id":"u","name":"N"},"status":"APPROVED"}],"session":"s","status":"APPROVED","type":"jit"}]',
    );
  });

  it('answers an empty list for hoop\'s null, groups sorted', async () => {
    gateway([{ json: null }]);
    expect((await run('usergroups_list', {})).text).toBe('[]');
    gateway([{ json: ['b', 'a', 'b'] }]);
    expect((await run('usergroups_list', {})).text).toBe('["a","b"]');
  });

  it('pages sessions_list in pages of 100 up to the limit, reporting progress', async () => {
    const page = (n: number, next: boolean): Reply => ({ json: { data: Array.from({ length: n }, (_, i) => ({ id: `s${i}`, user: 'a@x.io', type: 'database' })), total: 250, total_is_capped: false, has_next_page: next } });
    const seen = gateway([page(100, true), page(100, true), page(50, false)]);
    const progress: unknown[] = [];
    const result = await run('sessions_list', { limit: 1000 }, progress);
    expect(seen.map((s) => [s.query.limit, s.query.offset])).toEqual([['100', '0'], ['100', '100'], ['100', '200']]);
    const body = JSON.parse(result.text) as { items: unknown[]; has_next_page: boolean; total: number };
    expect(body).toMatchObject({ total: 250, has_next_page: false });
    expect(body.items).toHaveLength(250);
    expect(progress).toEqual([
      { progress: 100, total: 250, message: 'fetched 100 sessions (1 page)' },
      { progress: 200, total: 250, message: 'fetched 200 sessions (2 pages)' },
      { progress: 250, total: 250, message: 'fetched 250 sessions (3 pages)' },
    ]);
  });

  it('stops at the bound and says there is more', async () => {
    const full = { json: { data: Array.from({ length: 100 }, (_, i) => ({ id: `s${i}` })), total: 10_000, total_is_capped: true, has_next_page: true } };
    const seen = gateway(Array.from({ length: 30 }, () => full));
    const body = JSON.parse((await run('sessions_list', { limit: 5_000 })).text) as { items: unknown[]; has_next_page: boolean; total_is_capped: boolean };
    expect(seen).toHaveLength(20);
    expect(body.items).toHaveLength(2_000);
    expect(body).toMatchObject({ has_next_page: true, total_is_capped: true });
  });

  it('answers no sessions for an unknown user email without listing', async () => {
    const seen = gateway([{ status: 404, json: { message: 'user x@y.z not found' } }]);
    expect(JSON.parse((await run('sessions_list', { user: 'x@y.z' })).text)).toEqual({ total: 0, total_is_capped: false, has_next_page: false, items: [] });
    expect(seen).toHaveLength(1);
  });
});
