import { z } from 'zod';

import { apiPath } from '../gateway/rest.js';
import { READS, defineTool, type ToolAnnotations, type ToolContext } from './define.js';
import { asList, asRecord, listTool, copyWhenSet, isSet, jsonResult, rest, type Rec } from './result.js';

/** One review group entry as the MCP server shows it: `reviewed_by` without slack_id, `forced_review` only when true. */
function groupToMcp(g: Rec): Rec {
  const out: Rec = { id: g.id, group: g.group, status: g.status };
  const by = g.reviewed_by;
  if (isSet(by)) {
    const r = asRecord(by);
    out.reviewed_by = { id: r.id, name: r.name ?? '', email: r.email ?? '' };
  }
  if (isSet(g.review_date)) out.review_date = g.review_date;
  if (g.forced_review === true) out.forced_review = true;
  return out;
}

/**
 * reviewToMap. `access_duration` stays in nanoseconds: that is how both hoop APIs write a Go
 * duration, so the two backends agree; 0 means unset and is left out.
 */
export function reviewToMcp(r: Rec): Rec {
  const out: Rec = { id: r.id, session: r.session, type: r.type, status: r.status, created_at: r.created_at };
  if (typeof r.access_duration === 'number' && r.access_duration > 0) out.access_duration = r.access_duration;
  copyWhenSet(out, r, ['revoke_at', 'access_request_rule_name']);
  if (typeof r.min_approvals === 'number') out.min_approvals = r.min_approvals;
  copyWhenSet(out, r, ['force_approval_groups', 'connection_name', 'owner_email', 'rejection_reason']);
  if (isSet(r.time_window)) {
    const tw = asRecord(r.time_window);
    out.time_window = { type: tw.type, configuration: tw.configuration };
  }
  const groups = asList(r.review_groups_data);
  if (groups.length > 0) out.review_groups_data = groups.map((g) => groupToMcp(asRecord(g)));
  return out;
}

const NOT_FOUND = { 404: 'review not found' };

/** REST's review has no connection or requester, which the MCP server shows; its session has both. Best effort. */
async function withRequester(ctx: ToolContext, review: Rec): Promise<Rec> {
  if (isSet(review.connection_name) || typeof review.session !== 'string' || review.session === '') return review;
  const session = asRecord(await rest(ctx, 'GET', apiPath`/sessions/${review.session}`).catch(() => undefined));
  if (isSet(session.connection)) review.connection_name = session.connection;
  if (isSet(session.user)) review.owner_email = session.user;
  return review;
}

export const reviewsList = listTool({ name: 'reviews_list', domain: 'reviews', description: 'List the access reviews (approval requests) of your organization with their status and reviewer groups.', path: '/reviews', toMcp: reviewToMcp });

export const reviewsGet = defineTool({
  name: 'reviews_get',
  domain: 'reviews',
  description: 'Get one review by review ID or session ID, with the connection it is for and who asked.',
  annotations: READS,
  input: z.strictObject({ id: z.string() }),
  async handler(a, ctx) {
    return jsonResult(reviewToMcp(await withRequester(ctx, asRecord(await rest(ctx, 'GET', apiPath`/reviews/${a.id}`, {}, NOT_FOUND)))));
  },
});

const STATUSES = ['APPROVED', 'REJECTED', 'REVOKED'];
const REVIEW_FAILED = 'failed updating review status: ';

/** Approving twice fails ("wrong state") rather than repeating: not idempotent, and it decides for others. */
const DECIDES: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false };

export const reviewsUpdate = defineTool({
  name: 'reviews_update',
  domain: 'reviews',
  description:
    'Approve, reject or revoke a review by review ID or session ID. status is APPROVED, REJECTED or REVOKED (revoke only ends an approved JIT access). ' +
    'time_window ({"type":"time_range","configuration":{"start_time":"HH:MM","end_time":"HH:MM"}}, UTC) limits when an approval may be used; ' +
    'force_review uses your force-approval group; rejection_reason is kept on a rejection.',
  annotations: DECIDES,
  input: z.strictObject({
    id: z.string(),
    status: z.string(),
    time_window: z.strictObject({ type: z.string(), configuration: z.record(z.string(), z.string()) }).nullable().optional(),
    force_review: z.boolean().optional(),
    rejection_reason: z.string().optional(),
  }),
  async handler(a, ctx) {
    const status = a.status.toUpperCase();
    if (!STATUSES.includes(status)) {
      return { content: [{ type: 'text', text: `invalid status ${JSON.stringify(a.status)}: must be one of APPROVED, REJECTED, REVOKED. Nothing was sent` }], isError: true };
    }
    const body: Rec = { status };
    if (a.time_window !== null && a.time_window !== undefined) body.time_window = a.time_window;
    if (a.force_review !== undefined) body.force_review = a.force_review;
    if (a.rejection_reason !== undefined && a.rejection_reason !== '') body.rejection_reason = a.rejection_reason;
    // hoop answers 500 for what are really "not found" or "bad request" here: say what it is.
    const r = await rest(ctx, 'PUT', apiPath`/reviews/${a.id}`, { body }, {
      ...NOT_FOUND,
      500: (d) => (d?.startsWith(REVIEW_FAILED) === true ? d.slice(REVIEW_FAILED.length) : undefined),
    });
    return jsonResult(reviewToMcp(await withRequester(ctx, asRecord(r))));
  },
});

export const reviewTools = [reviewsList, reviewsGet, reviewsUpdate];
