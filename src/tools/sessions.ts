import { z } from 'zod';

import { apiPath, RestStatusError } from '../gateway/rest.js';
import { READS, defineTool, type ToolContext } from './define.js';
import { asList, asRecord, copyWhenSet, isSet, jsonResult, rest, type Rec } from './result.js';

/** hoop's own bounds (models.MaxSessionListLimit, MaxSessionListOffset). */
const PAGE = 100;
const MAX_OFFSET = 10_000;
/** How many sessions one call may gather over several pages: enough for a 90-day question, small enough to answer. */
export const MAX_SESSIONS = 2_000;

function reviewToMcp(r: Rec): Rec {
  const out: Rec = { id: r.id, type: r.type, status: r.status };
  if (typeof r.access_duration === 'number' && r.access_duration > 0) out.access_duration = r.access_duration;
  return copyWhenSet(out, r, ['access_request_rule_name']);
}

/** A REST session in the MCP server's shape (sessionToMap): `user` is its `user_email`, `type` its `connection_type`. */
export function sessionToMcp(s: Rec): Rec {
  const out: Rec = {
    id: s.id,
    connection: s.connection,
    connection_type: s.type,
    connection_subtype: s.connection_subtype ?? '',
    user_id: s.user_id,
    user_email: s.user,
    user_name: s.user_name ?? '',
    status: s.status,
    verb: s.verb,
    created_at: s.start_date,
  };
  if (isSet(s.end_date)) out.ended_at = s.end_date;
  if (typeof s.exit_code === 'number') out.exit_code = s.exit_code;
  copyWhenSet(out, s, ['session_batch_id', 'labels', 'metadata', 'integrations_metadata', 'metrics', 'connection_tags']);
  if (isSet(s.review)) out.review = reviewToMcp(asRecord(s.review));
  if (isSet(s.ai_analysis)) {
    const a = asRecord(s.ai_analysis);
    out.ai_analysis = { risk_level: a.risk_level, title: a.title, explanation: a.explanation, action: a.action };
  }
  const guardrails = asList(s.guardrails_info);
  if (guardrails.length > 0) {
    out.guardrails_info = guardrails.map((g) => copyWhenSet({ rule_name: asRecord(g).rule_name, direction: asRecord(g).direction, matched_words: asRecord(g).matched_words }, asRecord(g), ['message']));
  }
  return out;
}

function fail(text: string): { content: Array<{ type: 'text'; text: string }>; isError: true } {
  return { content: [{ type: 'text', text }], isError: true };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** REST filters by the user's subject; the tool (and the agent) speak email. */
async function subjectOf(ctx: ToolContext, user: string): Promise<string | undefined> {
  if (!user.includes('@')) return user;
  try {
    const found = asRecord(await rest(ctx, 'GET', apiPath`/users/${user}`));
    return typeof found.id === 'string' ? found.id : undefined;
  } catch (err) {
    if (err instanceof RestStatusError && err.httpStatus === 404) return undefined;
    throw err;
  }
}

export const sessionsList = defineTool({
  name: 'sessions_list',
  domain: 'sessions',
  description:
    'List sessions (metadata, not content), newest first, filtered by user email, connection name, connection type, review status and an RFC 3339 date range ' +
    '(end_date defaults to now). limit defaults to 20; above 100, hoop-mcp fetches page after page for you (up to 2000, with progress) so one call can cover a whole question. ' +
    'When has_next_page is true, continue with offset (at most 10000). When total_is_capped is true there are at least total sessions: say "total+" or narrow the filters.',
  annotations: READS,
  input: z.strictObject({
    user: z.string().optional(),
    connection: z.string().optional(),
    type: z.string().optional(),
    review_status: z.string().optional(),
    start_date: z.string().optional(),
    end_date: z.string().optional(),
    limit: z.int().optional(),
    offset: z.int().optional(),
  }),
  async handler(a, ctx) {
    const limit = a.limit ?? 0;
    const offset = a.offset ?? 0;
    if (limit < 0) return fail('invalid limit, must be at least 1');
    if (offset < 0) return fail('invalid offset, must not be negative');
    if (offset > MAX_OFFSET) return fail(`invalid offset, must not be greater than ${MAX_OFFSET}; narrow the filters instead of paginating deeper`);
    if (a.start_date && !RFC3339.test(a.start_date)) return fail('invalid start_date format, expected RFC3339 (e.g. 2024-01-01T00:00:00Z)');
    if (a.end_date && !RFC3339.test(a.end_date)) return fail('invalid end_date format, expected RFC3339 (e.g. 2024-12-31T23:59:59Z)');

    const empty = { total: 0, total_is_capped: false, has_next_page: false, items: [] };
    const user = a.user ? await subjectOf(ctx, a.user) : undefined;
    if (a.user && user === undefined) return jsonResult(empty);

    const wanted = Math.min(limit === 0 ? 20 : limit, MAX_SESSIONS);
    const query = {
      user,
      connection: a.connection,
      type: a.type,
      'review.status': a.review_status,
      start_date: a.start_date,
      end_date: a.start_date && !a.end_date ? new Date().toISOString().replace(/\.\d+Z$/, 'Z') : a.end_date,
      count: 'capped',
    };
    const items: Rec[] = [];
    let first: Rec | undefined;
    let hasNext = false;
    let at = offset;
    for (let pages = 1; ; pages++) {
      const size = Math.min(PAGE, wanted - items.length);
      const page = asRecord(await rest(ctx, 'GET', '/sessions', { query: { ...query, limit: size, offset: at } }));
      first ??= page;
      const data = asList(page.data);
      items.push(...data.map((s) => sessionToMcp(asRecord(s))));
      hasNext = page.has_next_page === true;
      at += data.length;
      const done = !hasNext || items.length >= wanted || data.length === 0 || at > MAX_OFFSET;
      if (pages > 1 || !done) {
        const total = typeof first.total === 'number' ? Math.min(first.total - offset, wanted) : wanted;
        ctx.progress({ progress: items.length, total: Math.max(total, items.length), message: `fetched ${items.length} sessions (${pages} page${pages > 1 ? 's' : ''})` });
      }
      if (done) break;
    }
    return jsonResult({ total: first?.total ?? null, total_is_capped: first?.total_is_capped === true, has_next_page: hasNext, items });
  },
});

export const sessionsGet = defineTool({
  name: 'sessions_get',
  domain: 'sessions',
  description: 'Get the metadata of one session by ID (not its content). Only its owner, admins and auditors may read it.',
  annotations: READS,
  input: z.strictObject({ id: z.string() }),
  async handler(a, ctx) {
    const s = await rest(ctx, 'GET', apiPath`/sessions/${a.id}`, {}, {
      404: 'session not found',
      // A 403 here is about this session, not about the caller's role.
      403: (d) => (d?.includes('not allowed to access this session') === true ? 'access denied: you can only view your own sessions or must be admin/auditor' : undefined),
    });
    return jsonResult(sessionToMcp(asRecord(s)));
  },
});

export const sessionTools = [sessionsList, sessionsGet];
