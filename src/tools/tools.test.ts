import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { allTools } from './index.js';

/** The gateway's own v1 wire schemas (test data), with the reference file's own annotations stripped. */
const REFERENCE_ONLY = new Set(['knownValues', 'enum', 'note', 'deprecated']);

function wire(node: unknown): unknown {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (REFERENCE_ONLY.has(k)) continue;
    if (k === 'properties') out[k] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([pk, pv]) => [pk, wire(pv)]));
    else if (k === 'items' || k === 'additionalProperties') out[k] = wire(v);
    else out[k] = v;
  }
  return out;
}

interface Entry {
  name: string;
  since_v1: boolean;
  required: string[];
  properties: Record<string, unknown>;
}

const entries = (JSON.parse(readFileSync(new URL('../../test/fixtures/data/hoop-mcp-tools.json', import.meta.url), 'utf8')) as Entry[]).filter((e) => e.since_v1);

function gatewaySchema(e: Entry): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: 'object' };
  if (Object.keys(e.properties).length > 0) schema.properties = (wire({ properties: e.properties }) as { properties: unknown }).properties;
  if (e.required.length > 0) schema.required = e.required;
  schema.additionalProperties = false;
  return schema;
}

describe('the REST tools', () => {
  const tools = allTools();

  it('are exactly the 36 v1 tools, in the gateway\'s order', () => {
    expect(tools.map((t) => t.name)).toEqual(entries.map((e) => e.name));
    expect(tools).toHaveLength(36);
  });

  it.each(entries.map((e) => [e.name, e] as const))('%s has the gateway\'s input schema', (name, e) => {
    const tool = tools.find((t) => t.name === name);
    expect(tool?.wire().inputSchema).toEqual(gatewaySchema(e));
    // property order too, as go-sdk writes struct fields
    expect(Object.keys((tool?.wire().inputSchema.properties as object | undefined) ?? {})).toEqual(Object.keys(e.properties));
  });

  it.each(tools.map((t) => [t.name, t] as const))('%s: explicit hints, a domain, one plain object schema', (_name, tool) => {
    const w = tool.wire();
    expect(typeof w.annotations?.readOnlyHint).toBe('boolean');
    expect(typeof w.annotations?.destructiveHint).toBe('boolean');
    expect(typeof w.annotations?.idempotentHint).toBe('boolean');
    expect(w.annotations?.openWorldHint).toBe(false);
    expect(tool.domain).toMatch(/^[a-z-]+$/);
    for (const k of ['anyOf', 'oneOf', 'allOf']) expect(w.inputSchema).not.toHaveProperty(k);
    expect(w.description?.length).toBeGreaterThan(20);
    // reads never claim to change anything; only reads say read-only
    if (w.annotations?.readOnlyHint === true) expect(w.annotations.destructiveHint).toBe(false);
    expect(w.annotations?.readOnlyHint).toBe(/_(list|get)$/.test(tool.name));
  });

  it.each(tools.map((t) => [t.name, t] as const))('%s matches its snapshot', async (name, tool) => {
    await expect(`${JSON.stringify(tool.wire(), null, 2)}\n`).toMatchFileSnapshot(`__toolsnaps__/${name}.json`);
  });
});
