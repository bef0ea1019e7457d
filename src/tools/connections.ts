import { z } from 'zod';

import { apiPath } from '../gateway/rest.js';
import { CREATES, DELETES, READS, UPDATES, defineTool } from './define.js';
import { asList, asRecord, copyWhenSet, isSet, jsonResult, quote, rest, textResult, type Rec } from './result.js';

const NOT_FOUND = { 404: 'connection not found' };
const strings = z.array(z.string()).nullable();
const stringMap = z.record(z.string(), z.string());

/** The fields create and update share, in the gateway's order. */
const writable = {
  command: strings.optional(),
  secrets: stringMap.optional(),
  tags: stringMap.optional(),
  access_mode_runbooks: z.string().optional(),
  access_mode_exec: z.string().optional(),
  access_mode_connect: z.string().optional(),
  guardrail_rules: strings.optional(),
  reviewers: strings.optional(),
  redact_types: strings.optional(),
  mandatory_metadata_fields: strings.optional(),
};

/** A REST connection in the MCP server's shape (connectionToMap): `connection_tags` is its `tags`, `secret` its `secrets`. */
export function connectionToMcp(c: Rec, withSecrets: boolean): Rec {
  const out: Rec = {
    id: c.id,
    name: c.name,
    type: c.type,
    subtype: c.subtype ?? '',
    agent_id: c.agent_id ?? '',
    status: c.status,
    command: c.command ?? null,
  };
  if (withSecrets && isSet(c.secret)) out.secrets = c.secret;
  if (isSet(c.connection_tags)) out.tags = c.connection_tags;
  copyWhenSet(out, c, ['access_mode_runbooks', 'access_mode_exec', 'access_mode_connect', 'guardrail_rules', 'reviewers']);
  if (c.redact_enabled === true) out.redact_enabled = true;
  return copyWhenSet(out, c, ['redact_types', 'managed_by', 'attributes']);
}

/** Fields create and update share, as the REST body names them. */
function writableFields(a: z.output<z.ZodObject<typeof writable>>): Rec {
  // null and absent both mean "not given", as a nil Go slice does.
  const body: Rec = {};
  const lists = { command: a.command, guardrail_rules: a.guardrail_rules, reviewers: a.reviewers, redact_types: a.redact_types, mandatory_metadata_fields: a.mandatory_metadata_fields };
  for (const [k, v] of Object.entries(lists)) if (v !== null && v !== undefined) body[k] = v;
  if (a.secrets !== undefined) body.secret = a.secrets;
  if (a.tags !== undefined) body.connection_tags = a.tags;
  return body;
}

export const connectionsList = defineTool({
  name: 'connections_list',
  domain: 'connections',
  description:
    'List the connections (databases, applications, servers) you may use, with optional filters. ' +
    'tag_selector takes comma-separated key=value or key!=value constraints that must all hold; tags (legacy string tags) is deprecated. Secrets are never included.',
  annotations: READS,
  input: z.strictObject({
    agent_id: z.string().optional(),
    type: z.string().optional(),
    subtype: z.string().optional(),
    tag_selector: z.string().optional(),
    tags: strings.optional(),
    name: z.string().optional(),
    search: z.string().optional(),
  }),
  async handler(a, ctx) {
    const query = { agent_id: a.agent_id, type: a.type, subtype: a.subtype, tag_selector: a.tag_selector, name: a.name, search: a.search, tags: a.tags?.join(',') };
    const list = await rest(ctx, 'GET', '/connections', { query });
    return jsonResult(asList(list).map((c) => connectionToMcp(asRecord(c), false)));
  },
});

export const connectionsGet = defineTool({
  name: 'connections_get',
  domain: 'connections',
  description: 'Get one connection by name or ID. Admins also see its secrets (base64 values keyed envvar:NAME).',
  annotations: READS,
  input: z.strictObject({ name: z.string() }),
  async handler(a, ctx) {
    const c = await rest(ctx, 'GET', apiPath`/connections/${a.name}`, {}, NOT_FOUND);
    return jsonResult(connectionToMcp(asRecord(c), true));
  },
});

export const connectionsCreate = defineTool({
  name: 'connections_create',
  domain: 'connections',
  description:
    'Create a connection (admin only). command may be left empty for known database subtypes; secrets keys are envvar:NAME with base64 values; ' +
    'access modes default to enabled. Fails if the name is taken.',
  annotations: CREATES,
  input: z.strictObject({
    name: z.string(),
    type: z.string(),
    subtype: z.string().optional(),
    agent_id: z.string().optional(),
    ...writable,
  }),
  async handler(a, ctx) {
    const body: Rec = {
      name: a.name,
      type: a.type,
      subtype: a.subtype ?? '',
      agent_id: a.agent_id ?? '',
      access_mode_runbooks: a.access_mode_runbooks || 'enabled',
      access_mode_exec: a.access_mode_exec || 'enabled',
      access_mode_connect: a.access_mode_connect || 'enabled',
      // REST requires it; the MCP tool has no such field and leaves hoop's default.
      access_schema: a.type === 'database' ? 'enabled' : 'disabled',
      ...writableFields(a),
    };
    const c = await rest(ctx, 'POST', '/connections', { body }, { 409: 'connection already exists' });
    return jsonResult(connectionToMcp(asRecord(c), false));
  },
});

export const connectionsUpdate = defineTool({
  name: 'connections_update',
  domain: 'connections',
  description:
    'Change some fields of a connection found by name or ID (admin only). Fields you leave out stay as they are; ' +
    'arrays and maps you pass replace the stored ones; agent_id "" detaches the agent. Connections managed by their agent cannot be changed.',
  annotations: UPDATES,
  input: z.strictObject({
    name: z.string(),
    agent_id: z.string().nullable().optional(),
    ...writable,
  }),
  async handler(a, ctx) {
    // PATCH applies only the keys present, as the MCP tool does.
    const body: Rec = writableFields(a);
    if (typeof a.agent_id === 'string') body.agent_id = a.agent_id;
    for (const k of ['access_mode_runbooks', 'access_mode_exec', 'access_mode_connect'] as const) if (a[k]) body[k] = a[k];
    const c = await rest(ctx, 'PATCH', apiPath`/connections/${a.name}`, { body }, NOT_FOUND);
    return jsonResult(connectionToMcp(asRecord(c), false));
  },
});

export const connectionsDelete = defineTool({
  name: 'connections_delete',
  domain: 'connections',
  description: 'Delete a connection by name (admin only). This cannot be undone.',
  annotations: DELETES,
  input: z.strictObject({ name: z.string() }),
  async handler(a, ctx) {
    await rest(ctx, 'DELETE', apiPath`/connections/${a.name}`, {}, NOT_FOUND);
    return textResult(`connection ${quote(a.name)} deleted successfully`);
  },
});

export const connectionTools = [connectionsList, connectionsGet, connectionsCreate, connectionsUpdate, connectionsDelete];
