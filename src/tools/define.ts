import type { z } from 'zod';

import type { RestApi } from '../gateway/rest.js';
import { GatewayError } from '../shared/errors.js';
import { toolError, type CallToolResult, type Tool } from '../shared/mcp.js';
import { toJsonSchema } from './json-schema.js';

export type Domain =
  | 'connections'
  | 'guardrails'
  | 'datamasking'
  | 'usergroups'
  | 'users'
  | 'access-request-rules'
  | 'reviews'
  | 'runbook-rules'
  | 'sessions'
  | 'serverinfo';

/** Set on every tool, explicitly: a client must not have to guess from MCP's defaults. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: false;
}

/** What a handler gets besides its arguments. */
export interface ToolContext {
  rest: RestApi;
  signal: AbortSignal;
  /** Reports progress to the client; a no-op when the client did not ask for it. */
  progress(p: { progress: number; total?: number; message?: string }): void;
}

export interface ToolSpec<S extends z.ZodObject> {
  name: string;
  domain: Domain;
  description: string;
  annotations: ToolAnnotations;
  input: S;
  handler(args: z.output<S>, ctx: ToolContext): Promise<CallToolResult>;
}

/** One tool served by hoop-mcp itself; `run` validates, calls the handler and maps failures. */
export interface RestTool {
  readonly name: string;
  readonly domain: Domain;
  readonly description: string;
  readonly annotations: ToolAnnotations;
  readonly input: z.ZodObject;
  /** The tool as `tools/list` shows it. */
  wire(): Tool;
  run(args: Record<string, unknown> | undefined, ctx: ToolContext): Promise<CallToolResult>;
}

export function defineTool<S extends z.ZodObject>(spec: ToolSpec<S>): RestTool {
  return {
    name: spec.name,
    domain: spec.domain,
    description: spec.description,
    annotations: spec.annotations,
    input: spec.input,
    wire: () => ({ name: spec.name, description: spec.description, inputSchema: toJsonSchema(spec.input), annotations: { ...spec.annotations } }),
    async run(args, ctx) {
      const parsed = spec.input.safeParse(args ?? {});
      if (!parsed.success) return toolError(describeIssues(spec.name, parsed.error));
      try {
        return await spec.handler(parsed.data, ctx);
      } catch (err) {
        if (err instanceof GatewayError) return toolError(err.message);
        throw err;
      }
    },
  };
}

/** A zod error as a sentence the model can act on: which field, what was expected. Nothing was sent. */
function describeIssues(tool: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'arguments';
    if (issue.code === 'unrecognized_keys') return `unknown argument${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `"${field}" is required (${issue.expected})`;
    return `"${field}": ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  return `invalid arguments for ${tool}: ${parts.join('; ')}. Nothing was sent to the gateway; fix the arguments and call it again`;
}

/** Reads: nothing changes at the gateway, so a retry is always safe. */
export const READS: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
/** Creates add something new and fail if it exists; they overwrite nothing. */
export const CREATES: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Updates overwrite what is stored; the same call twice leaves the same state. */
export const UPDATES: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
/** Deletes remove for good; a second identical call changes nothing more (it reports not found). */
export const DELETES: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false };
