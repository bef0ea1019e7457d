import type { Logger } from '../shared/log.js';
import { canonicalJson, sha256Hex } from '../shared/canonical.js';
import { errorMessage, isAbortError } from '../shared/errors.js';
import type { CallToolParams, ToolResult } from '../shared/mcp.js';
import type { Backend, CallContext } from './backend.js';
import { DelegatingBackend } from './delegating-backend.js';
import { pendingApproval } from './approval-notice.js';

export type AuditOutcome = 'ok' | 'tool-error' | 'protocol-error' | 'cancelled';

/** One tool call as the audit trail records it. Arguments only as a hash: values never leave the call. */
export interface AuditRecord {
  time: string;
  profile: string;
  gateway: string;
  client: string;
  tool: string;
  argsSha256: string;
  outcome: AuditOutcome;
  durationMs: number;
  reviewId?: string;
}

/** Where records go (the hash-chained file in app/audit-log.ts); injected so bridge/ stays free of files and locks. */
export interface AuditSink {
  append(record: AuditRecord): Promise<unknown>;
}

export interface AuditBackendOptions {
  inner: Backend;
  sink: AuditSink;
  profile: string;
  gateway: string;
  /** The MCP client's name from `initialize`. */
  client: string;
  logger: Logger;
  now?: () => number;
}

/** Records every tools/call (hidden, failed and cancelled ones too) once it has an outcome. */
export class AuditBackend extends DelegatingBackend {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly opts: AuditBackendOptions) {
    super(opts.inner);
  }



  override async callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult> {
    const now = this.opts.now ?? Date.now;
    const started = now();
    let outcome: AuditOutcome = 'protocol-error';
    let reviewId: string | undefined;
    try {
      const result = await this.inner.callTool(params, ctx);
      outcome = ctx.signal.aborted ? 'cancelled' : result.isError === true ? 'tool-error' : 'ok';
      reviewId = pendingApproval(result)?.review_id;
      return result;
    } catch (err) {
      if (ctx.signal.aborted || isAbortError(err)) outcome = 'cancelled';
      throw err;
    } finally {
      const record: AuditRecord = {
        time: new Date(started).toISOString(),
        profile: this.opts.profile,
        gateway: this.opts.gateway,
        client: this.opts.client,
        tool: params.name,
        argsSha256: sha256Hex(canonicalJson(params.arguments ?? {})),
        outcome,
        durationMs: Math.max(0, Math.round(now() - started)),
        ...(reviewId !== undefined ? { reviewId } : {}),
      };
      // Not awaited: the answer does not wait for the disk. close() waits for what is still queued.
      const written = this.opts.sink.append(record).catch((err: unknown) => this.opts.logger.warn(`could not write the audit trail: ${errorMessage(err)}`));
      this.pending.add(written);
      void written.finally(() => this.pending.delete(written));
    }
  }

  override async close(): Promise<void> {
    await Promise.all(this.pending);
    await this.inner.close();
  }

}
