import { z } from 'zod';

/**
 * Hoop reviews as the approvals watcher sees them. The REST review object (hoop-rest-api.md §3.1)
 * has no connection, requester or command: those come from the review's session and are merged
 * into a ReviewItem, the one shape the TUI, NDJSON output and `approvals wait` share.
 */

export const REVIEW_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'REVOKED', 'PROCESSING', 'EXECUTED', 'UNKNOWN'] as const;

const ReviewerSchema = z.looseObject({ email: z.string().optional(), name: z.string().optional() });

export const ReviewSchema = z.looseObject({
  id: z.string().min(1),
  session: z.string().default(''),
  type: z.string().default('onetime'),
  status: z.string().transform((s) => s.toUpperCase()),
  /** Nanoseconds (stored in seconds, multiplied for compatibility). */
  access_duration: z.number().nullish(),
  created_at: z.string().nullish(),
  revoke_at: z.string().nullish(),
  rejection_reason: z.string().nullish(),
  review_groups_data: z
    .array(z.looseObject({ group: z.string(), status: z.string(), reviewed_by: ReviewerSchema.nullish() }))
    .nullish(),
});
export type Review = z.infer<typeof ReviewSchema>;

/** What `GET /api/sessions/:id` adds to a review. */
export const ReviewSessionSchema = z.looseObject({
  user: z.string().nullish(),
  user_name: z.string().nullish(),
  connection: z.string().nullish(),
  script: z.looseObject({ data: z.string().nullish() }).nullish(),
});
export type ReviewSession = z.infer<typeof ReviewSessionSchema>;

export interface ReviewGroup {
  group: string;
  status: string;
  reviewedBy?: string;
}

export interface ReviewItem {
  id: string;
  session: string;
  type: string;
  status: string;
  /** JIT access length in seconds (0 for one-time reviews). */
  accessSeconds: number;
  createdAt?: string;
  revokeAt?: string;
  rejectionReason?: string;
  groups: ReviewGroup[];
  /** From the session; undefined until it has been read (or when it cannot be). */
  connection?: string;
  requester?: string;
  command?: string;
  /** The review's page in hoop's web app. */
  url: string;
}

export type Verdict = 'APPROVED' | 'REJECTED' | 'REVOKED';

/** The answer to a decision: never thrown, so a 403 can be shown where the key was pressed. */
export type DecideOutcome = { ok: true } | { ok: false; message: string };

/** One status change: `previous` is null the first time a review is seen. */
export interface ReviewChange {
  review: ReviewItem;
  previous: string | null;
}

/** One poll's view: every review that passes the filter, and what changed since the last one. */
export interface ReviewsSnapshot {
  reviews: ReviewItem[];
  changes: ReviewChange[];
  /** Set when the last poll failed; the reviews are then the last known ones. */
  error?: string;
  at: Date;
}

/** hoop's web app shows a review on its session's page (the review_url hoop's exec returns). */
export function reviewUrl(gateway: string, session: string): string {
  return `${gateway}/sessions/${encodeURIComponent(session)}`;
}

export function toReviewItem(r: Review, gateway: string, session?: ReviewSession): ReviewItem {
  const sid = r.session !== '' ? r.session : r.id;
  const item: ReviewItem = {
    id: r.id,
    session: sid,
    type: r.type,
    status: r.status,
    accessSeconds: Math.round((r.access_duration ?? 0) / 1e9),
    groups: (r.review_groups_data ?? []).map((g) => ({
      group: g.group,
      status: g.status,
      ...(g.reviewed_by?.email ? { reviewedBy: g.reviewed_by.email } : {}),
    })),
    url: reviewUrl(gateway, sid),
  };
  if (r.created_at) item.createdAt = r.created_at;
  if (r.revoke_at) item.revokeAt = r.revoke_at;
  if (r.rejection_reason) item.rejectionReason = r.rejection_reason;
  if (session?.connection) item.connection = session.connection;
  if (session?.user) item.requester = session.user;
  if (session?.script?.data) item.command = session.script.data;
  return item;
}

/** Pending first, then newest first. */
export function compareReviews(a: ReviewItem, b: ReviewItem): number {
  const pa = a.status === 'PENDING' ? 0 : 1;
  const pb = b.status === 'PENDING' ? 0 : 1;
  if (pa !== pb) return pa - pb;
  return (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || a.id.localeCompare(b.id);
}

/** `15m`, `2h`, `1h30m`, `45s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(0, Math.round(seconds))}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d`;
}

/** `one-time`, or `JIT 15m`. */
export function describeType(r: Pick<ReviewItem, 'type' | 'accessSeconds'>): string {
  if (r.type === 'jit') return r.accessSeconds > 0 ? `JIT ${formatDuration(r.accessSeconds)}` : 'JIT';
  return r.type === 'onetime' ? 'one-time' : r.type;
}

/** How long ago a review was created: `3m`, `2h`, `4d`; `?` when the gateway did not say. */
export function ageOf(createdAt: string | undefined, now: Date): string {
  if (createdAt === undefined) return '?';
  const at = Date.parse(createdAt);
  return Number.isNaN(at) ? '?' : formatDuration(Math.max(0, (now.getTime() - at) / 1000));
}

/** A command on one line, whitespace collapsed, cut to `width` with an ellipsis. */
export function preview(text: string | undefined, width: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (width <= 0) return '';
  return flat.length > width ? `${flat.slice(0, Math.max(0, width - 1))}…` : flat;
}
