import { z } from 'zod';

import { RawJson } from './jsonrpc.js';

/**
 * The slice of MCP that hoop-mcp reads. Everything else in a message is relayed verbatim, so
 * these schemas are loose and only name what the bridge itself decides on.
 */

/** Newest first; what hoop-mcp negotiates with clients (the gateway's go-sdk supports the same set). */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
export const LATEST_PROTOCOL_VERSION = SUPPORTED_PROTOCOL_VERSIONS[0];

export const ImplementationSchema = z.looseObject({ name: z.string(), version: z.string() });
export type Implementation = z.infer<typeof ImplementationSchema>;

export const InitializeParamsSchema = z.looseObject({
  protocolVersion: z.string(),
  capabilities: z.record(z.string(), z.unknown()).default({}),
  clientInfo: ImplementationSchema,
});
export type InitializeParams = z.infer<typeof InitializeParamsSchema>;

export const InitializeResultSchema = z.looseObject({
  protocolVersion: z.string(),
  capabilities: z.record(z.string(), z.unknown()),
  serverInfo: ImplementationSchema,
});
export type InitializeResult = z.infer<typeof InitializeResultSchema>;

export const ToolAnnotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});

export const ToolSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  inputSchema: z.looseObject({ type: z.literal('object') }),
  annotations: ToolAnnotationsSchema.optional(),
});
export type Tool = z.infer<typeof ToolSchema>;

export const ListToolsResultSchema = z.looseObject({
  tools: z.array(ToolSchema),
  nextCursor: z.string().optional(),
});

export const ProgressTokenSchema = z.union([z.string(), z.number()]);
export type ProgressToken = z.infer<typeof ProgressTokenSchema>;

export const CallToolParamsSchema = z.looseObject({
  name: z.string().min(1),
  arguments: z.record(z.string(), z.unknown()).optional(),
  _meta: z.looseObject({ progressToken: ProgressTokenSchema.optional() }).optional(),
});
export type CallToolParams = z.infer<typeof CallToolParamsSchema>;

/** Results are relayed unchanged; the bridge only needs to know they are objects. */
export const CallToolResultSchema = z.record(z.string(), z.unknown());
export type CallToolResult = z.infer<typeof CallToolResultSchema>;

/**
 * A tool result relayed as the gateway's bytes (see RawJson). The relay keeps only results that
 * cannot be a pending-approval envelope this way, so nothing downstream needs to look inside.
 */
export class RawToolResult extends RawJson {
  readonly isError: boolean;

  constructor(raw: RawJson) {
    super(raw.bytes, raw.members);
    this.isError = raw.member('isError') === 'true';
  }
}

/** What a backend answers a tools/call with. */
export type ToolResult = CallToolResult | RawToolResult;

export const ProgressParamsSchema = z.looseObject({
  progressToken: ProgressTokenSchema,
  progress: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
export type ProgressParams = z.infer<typeof ProgressParamsSchema>;

export const CancelledParamsSchema = z.looseObject({
  requestId: z.union([z.string(), z.number()]),
  reason: z.string().optional(),
});

/** A tool result the bridge itself writes: a failure the model can read, with the next step in it. */
export function toolError(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Whether a failed call may be sent again without asking anyone: only when the gateway says it is safe. */
export function isReplayable(tool: Tool | undefined): boolean {
  return tool?.annotations?.readOnlyHint === true || tool?.annotations?.idempotentHint === true;
}
