import { GatewayError } from '../shared/errors.js';
import type { CallToolResult } from '../shared/mcp.js';
import { RestStatusError, type HttpMethod, type RestRequest } from '../gateway/rest.js';
import { z } from 'zod';

import { defineTool, READS, type Domain, type RestTool, type ToolContext } from './define.js';

export type Rec = Record<string, unknown>;

/** Deep copy with object keys sorted, as Go's encoding/json writes a map[string]any. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    const out: Rec = {};
    for (const k of Object.keys(v).sort()) {
      const value = (v as Rec)[k];
      if (value !== undefined) out[k] = sortKeys(value);
    }
    return out;
  }
  return v;
}

/** A success as hoop's MCP server writes it: one text item, JSON with sorted keys and Go's HTML-safe escapes. */
export function jsonResult(v: unknown): CallToolResult {
  const text = JSON.stringify(sortKeys(v) ?? null).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return { content: [{ type: 'text', text }] };
}

/** A success that is a sentence (deletes). */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** Go's %q for the strings tools quote. */
export function quote(s: string): string {
  return JSON.stringify(s);
}

/** Go's "when set": not null, not empty. */
export function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

export function asRecord(v: unknown): Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {};
}

/** hoop answers `null` for an empty list (a nil Go slice); tools always answer a list. */
export function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Copies `keys` from `from` when set, in the MCP server's "present when set" manner. */
export function copyWhenSet(to: Rec, from: Rec, keys: string[]): Rec {
  for (const k of keys) if (isSet(from[k])) to[k] = from[k];
  return to;
}

/** How one status of one route reads to the agent; `detail` is hoop's own message. */
export type StatusText = string | ((detail: string | undefined) => string | undefined);

/**
 * One REST call for a tool. Statuses in `on` become the MCP server's wording for the same
 * failure (with the HTTP status and hoop's message kept); the rest map as everywhere.
 */
export async function rest(ctx: ToolContext, method: HttpMethod, path: string, req: Omit<RestRequest, 'signal'> = {}, on: Partial<Record<number, StatusText>> = {}): Promise<unknown> {
  try {
    return (await ctx.rest.request(method, path, { ...req, signal: ctx.signal })).data;
  } catch (err) {
    if (!(err instanceof RestStatusError)) throw err;
    const mapping = on[err.httpStatus];
    const text = typeof mapping === 'function' ? mapping(err.detail) : mapping;
    if (text === undefined) throw err;
    const said = err.detail !== undefined && err.detail !== '' ? `: ${err.detail}` : '';
    throw new GatewayError('http-error', `${text} (HTTP ${err.httpStatus}${said})`, err.httpStatus);
  }
}

/** A read-only tool that fetches the one REST resource its single string argument names. */
export function getTool(spec: {
  name: string;
  domain: Domain;
  description: string;
  key: string;
  path: (value: string) => string;
  on: Partial<Record<number, StatusText>>;
  toMcp: (r: Rec) => Rec;
}): RestTool {
  const shape: Record<string, z.ZodString> = { [spec.key]: z.string() };
  return defineTool({
    name: spec.name,
    domain: spec.domain,
    description: spec.description,
    annotations: READS,
    input: z.strictObject(shape),
    async handler(a, ctx) {
      return jsonResult(spec.toMcp(asRecord(await rest(ctx, 'GET', spec.path(a[spec.key] ?? ''), {}, spec.on))));
    },
  });
}

/** A read-only tool without arguments that lists a REST collection in the MCP server's shape. */
export function listTool(spec: { name: string; domain: Domain; description: string; path: string; toMcp: (r: Rec) => Rec }): RestTool {
  return defineTool({
    name: spec.name,
    domain: spec.domain,
    description: spec.description,
    annotations: READS,
    input: z.strictObject({}),
    async handler(_a, ctx) {
      return jsonResult(asList(await rest(ctx, 'GET', spec.path)).map((r) => spec.toMcp(asRecord(r))));
    },
  });
}
