import { isUtf8 } from 'node:buffer';

import { z } from 'zod';

import { objectMembers, type Span } from './json-scan.js';

/** JSON-RPC 2.0 framing as MCP uses it. Schemas are loose: unknown keys pass through untouched. */

export const JSONRPC_VERSION = '2.0';

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** MCP SDK convention for a request that timed out. */
  RequestTimeout: -32001,
  /** hoop-mcp: the gateway could not be used (auth, network, TLS, HTTP status). */
  GatewayError: -32010,
} as const;

export const RequestIdSchema = z.union([z.string(), z.number()]);
export type RequestId = z.infer<typeof RequestIdSchema>;

const ParamsSchema = z.record(z.string(), z.unknown());
export type Params = z.infer<typeof ParamsSchema>;

export const JsonRpcRequestSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: RequestIdSchema,
  method: z.string(),
  params: ParamsSchema.optional(),
});
export type JsonRpcRequest = z.infer<typeof JsonRpcRequestSchema>;

export const JsonRpcNotificationSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  method: z.string(),
  params: ParamsSchema.optional(),
});
export type JsonRpcNotification = z.infer<typeof JsonRpcNotificationSchema>;

export const JsonRpcResultSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: RequestIdSchema,
  result: ParamsSchema,
});
export type JsonRpcResult = z.infer<typeof JsonRpcResultSchema>;

export const JsonRpcErrorObjectSchema = z.looseObject({
  code: z.number(),
  message: z.string(),
  data: z.unknown().optional(),
});
export type JsonRpcErrorObject = z.infer<typeof JsonRpcErrorObjectSchema>;

export const JsonRpcErrorSchema = z.looseObject({
  jsonrpc: z.literal(JSONRPC_VERSION),
  id: RequestIdSchema.nullable().optional(),
  error: JsonRpcErrorObjectSchema,
});
export type JsonRpcError = z.infer<typeof JsonRpcErrorSchema>;

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResult | JsonRpcError;

export type Classified =
  | { kind: 'request'; message: JsonRpcRequest }
  | { kind: 'notification'; message: JsonRpcNotification }
  | { kind: 'result'; message: JsonRpcResult }
  | { kind: 'error'; message: JsonRpcError }
  | { kind: 'invalid'; id: RequestId | null; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sorts a parsed JSON value into one JSON-RPC message kind, or says why it is none. */
export function classifyMessage(value: unknown): Classified {
  if (!isRecord(value)) return { kind: 'invalid', id: null, reason: 'expected a JSON-RPC object' };
  const idResult = RequestIdSchema.safeParse(value.id);
  const id = idResult.success ? idResult.data : null;
  if ('method' in value) {
    if ('id' in value && value.id !== undefined) {
      const req = JsonRpcRequestSchema.safeParse(value);
      return req.success ? { kind: 'request', message: req.data } : { kind: 'invalid', id, reason: describeIssue(req.error) };
    }
    const note = JsonRpcNotificationSchema.safeParse(value);
    return note.success ? { kind: 'notification', message: note.data } : { kind: 'invalid', id: null, reason: describeIssue(note.error) };
  }
  if ('result' in value) {
    const res = JsonRpcResultSchema.safeParse(value);
    return res.success ? { kind: 'result', message: res.data } : { kind: 'invalid', id, reason: describeIssue(res.error) };
  }
  if ('error' in value) {
    const err = JsonRpcErrorSchema.safeParse(value);
    return err.success ? { kind: 'error', message: err.data } : { kind: 'invalid', id, reason: describeIssue(err.error) };
  }
  return { kind: 'invalid', id, reason: 'not a request, notification or response' };
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  const path = issue.path.length > 0 ? issue.path.join('.') : 'message';
  return `${path}: ${issue.message}`;
}

/**
 * A JSON-RPC result object kept as the bytes it arrived in, with its members located: a
 * multi-megabyte tool result goes back to the client without being parsed and written again.
 */
export class RawJson {
  constructor(
    readonly bytes: Buffer,
    /** Spans relative to `bytes`. */
    readonly members: ReadonlyMap<string, Span>,
  ) {}

  /** The member's value as JSON text, or undefined when the object has no such member. */
  member(name: string): string | undefined {
    const span = this.members.get(name);
    return span === undefined ? undefined : this.bytes.toString('utf8', span.start, span.end);
  }

  parse(): Params {
    return ParamsSchema.parse(JSON.parse(this.bytes.toString('utf8')));
  }
}

/** A response whose result stayed bytes. */
export class RawResponse {
  constructor(
    readonly id: RequestId,
    readonly result: RawJson,
  ) {}
}

/**
 * Reads a JSON-RPC response with an object result from its bytes without parsing the result;
 * undefined for anything else (requests, errors, text that is not UTF-8 or not JSON), which the
 * caller parses as usual.
 */
export function rawResponse(bytes: Buffer): RawResponse | undefined {
  // Whitespace newlines would break stdio's one-message-per-line framing: such text is parsed.
  if (!isUtf8(bytes) || bytes.includes(0x0a) || bytes.includes(0x0d)) return undefined;
  const envelope = objectMembers(bytes);
  if (envelope === undefined || envelope.has('error') || envelope.has('method')) return undefined;
  const text = (span: Span | undefined): string | undefined => (span === undefined ? undefined : bytes.toString('utf8', span.start, span.end));
  const id = RequestIdSchema.safeParse(JSON.parse(text(envelope.get('id')) ?? 'null'));
  const span = envelope.get('result');
  if (text(envelope.get('jsonrpc')) !== `"${JSONRPC_VERSION}"` || !id.success || span === undefined) return undefined;
  const members = objectMembers(bytes, span.start, span.end);
  if (members === undefined) return undefined;
  const relative = new Map([...members].map(([key, m]) => [key, { start: m.start - span.start, end: m.end - span.start }]));
  return new RawResponse(id.data, new RawJson(bytes.subarray(span.start, span.end), relative));
}

/** An error that becomes a JSON-RPC error response. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }

  toObject(): JsonRpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}
