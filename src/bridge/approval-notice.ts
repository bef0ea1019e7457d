import { z } from 'zod';

import type { Logger } from '../shared/log.js';
import type { Params } from '../shared/jsonrpc.js';
import { RawToolResult, type CallToolParams, type CallToolResult, type Tool, type ToolResult } from '../shared/mcp.js';
import type { Backend, CallContext, ClientChannel } from './backend.js';

/** hoop's exec envelope when a review holds the command (hoop-mcp-tools.md §4.3). */
const PendingApprovalSchema = z.looseObject({
  status: z.literal('pending_approval'),
  review_id: z.string().min(1),
  review_url: z.string().optional(),
});
type PendingApproval = z.infer<typeof PendingApprovalSchema>;
const TextItemSchema = z.looseObject({ type: z.literal('text'), text: z.string() });

/** MCP logging levels, least severe first. */
const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
const NOTICE_LEVEL = 'warning';
const SetLevelSchema = z.looseObject({ level: z.enum(LEVELS) });

export const APPROVALS_HINT = 'npx hoop-mcp approvals';

/** Per result object: the notice and the audit trail both ask, and a result can be 20 MB of text. */
const envelopes = new WeakMap<CallToolResult, PendingApproval | undefined>();

/** The envelope in a tool result, from structuredContent or a JSON text item; undefined otherwise. */
export function pendingApproval(result: ToolResult): PendingApproval | undefined {
  // The relay keeps a result as bytes only when it cannot hold an envelope.
  if (result instanceof RawToolResult) return undefined;
  if (envelopes.has(result)) return envelopes.get(result);
  const found = findEnvelope(result);
  envelopes.set(result, found);
  return found;
}

function findEnvelope(result: CallToolResult): PendingApproval | undefined {
  const candidates: unknown[] = [result.structuredContent];
  const content = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  for (const item of content) {
    const text = TextItemSchema.safeParse(item);
    if (!text.success || !text.data.text.includes('pending_approval')) continue;
    try {
      candidates.push(JSON.parse(text.data.text));
    } catch {
      // not JSON: not an envelope
    }
  }
  for (const c of candidates) {
    const parsed = PendingApprovalSchema.safeParse(c);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/**
 * Makes a call that is held for review visible to the human, outside the model's context: a line
 * on stderr (or --log-file) and an MCP logging notification to the client, at `warning`, unless
 * the client asked for fewer with logging/setLevel. The result itself goes on unchanged.
 */
export class ApprovalNoticeBackend implements Backend {
  /** What the client asked for with logging/setLevel; until then every notice is sent. */
  private clientLevel: (typeof LEVELS)[number] | undefined;

  constructor(
    private readonly inner: Backend,
    private readonly client: ClientChannel,
    private readonly logger: Logger,
  ) {}

  get kind(): Backend['kind'] {
    return this.inner.kind;
  }

  listTools(signal: AbortSignal): Promise<Tool[]> {
    return this.inner.listTools(signal);
  }

  async callTool(params: CallToolParams, ctx: CallContext): Promise<ToolResult> {
    const result = await this.inner.callTool(params, ctx);
    const pending = pendingApproval(result);
    if (pending !== undefined) this.announce(params.name, pending);
    return result;
  }

  async forward(method: string, params: Params | undefined, signal: AbortSignal): Promise<Params> {
    const answer = await this.inner.forward(method, params, signal);
    if (method === 'logging/setLevel') {
      const parsed = SetLevelSchema.safeParse(params);
      if (parsed.success) this.clientLevel = parsed.data.level;
    }
    return answer;
  }

  notify(method: string, params: Params | undefined): void {
    this.inner.notify(method, params);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private announce(tool: string, pending: PendingApproval): void {
    const where = pending.review_url !== undefined ? ` (${pending.review_url})` : '';
    const text = `${tool} is waiting for approval: review ${pending.review_id}${where}. Approve it in Hoop, or run: ${APPROVALS_HINT}`;
    this.logger.warn(text);
    if (this.clientLevel !== undefined && LEVELS.indexOf(this.clientLevel) > LEVELS.indexOf(NOTICE_LEVEL)) return;
    this.client.notify('notifications/message', { level: NOTICE_LEVEL, logger: 'hoop-mcp', data: text });
  }
}
