import { z } from 'zod';

import { apiPath, RestStatusError } from '../gateway/rest.js';
import { CREATES, DELETES, READS, defineTool, type ToolContext } from './define.js';
import { asList, asRecord, jsonResult, quote, rest, textResult } from './result.js';

export const usergroupsList = defineTool({
  name: 'usergroups_list',
  domain: 'usergroups',
  description: 'List the names of the user groups in your organization.',
  annotations: READS,
  input: z.strictObject({}),
  async handler(_a, ctx) {
    // hoop answers null when there are none and a random order otherwise: always a sorted list here.
    const names = asList(await rest(ctx, 'GET', '/users/groups')).filter((g): g is string => typeof g === 'string');
    return jsonResult([...new Set(names)].sort());
  },
});

function strList(v: unknown): string[] {
  return asList(v).filter((x): x is string => typeof x === 'string');
}

/** Adds the group to a connection's access_control list, keeping who is there (REST's PUT replaces the list). */
async function bindConnection(ctx: ToolContext, group: string, connectionName: string): Promise<Record<string, unknown>> {
  const conn = asRecord(await rest(ctx, 'GET', apiPath`/connections/${connectionName}`, {}, { 404: `connection ${quote(connectionName)} not found` }));
  const id = String(conn.id);
  const path = apiPath`/plugins/access_control/conn/${id}`;
  const current = await rest(ctx, 'GET', path).catch((err: unknown) => {
    // No binding yet: start from an empty list.
    if (err instanceof RestStatusError && err.httpStatus === 404) return {};
    throw err;
  });
  const groups = strList(asRecord(current).config);
  if (!groups.includes(group)) groups.push(group);
  const updated = asRecord(await rest(ctx, 'PUT', path, { body: { config: groups } }));
  return { connection_name: connectionName, connection_id: id, allowed_groups: updated.config ?? groups };
}

async function bindAttribute(ctx: ToolContext, group: string, name: string): Promise<void> {
  const path = apiPath`/attributes/${name}`;
  const attr = asRecord(await rest(ctx, 'GET', path, {}, { 404: `attribute ${quote(name)} not found — create the attribute first` }));
  const groups = strList(attr.access_control_group_names);
  if (groups.includes(group)) return;
  await rest(ctx, 'PUT', path, { body: { ...attr, name, access_control_group_names: [...groups, group] } });
}

export const usergroupsCreate = defineTool({
  name: 'usergroups_create',
  domain: 'usergroups',
  description:
    'Create a user group (admin only) and, optionally, let it use the named connections (added to their access-control lists) ' +
    'and attributes (which must exist already).',
  annotations: CREATES,
  input: z.strictObject({
    name: z.string(),
    connections: z.array(z.string()).nullable().optional(),
    attributes: z.array(z.string()).nullable().optional(),
  }),
  async handler(a, ctx) {
    if (a.name === '') return textError('name is required');
    await rest(ctx, 'POST', '/users/groups', { body: { name: a.name } });
    const boundConnections = [];
    for (const c of a.connections ?? []) boundConnections.push(await bindConnection(ctx, a.name, c));
    const boundAttributes: string[] = [];
    for (const attr of a.attributes ?? []) {
      await bindAttribute(ctx, a.name, attr);
      boundAttributes.push(attr);
    }
    return jsonResult({ group: a.name, bound_connections: boundConnections, bound_attributes: boundAttributes });
  },
});

function textError(text: string): ReturnType<typeof textResult> {
  return { ...textResult(text), isError: true };
}

export const usergroupsDelete = defineTool({
  name: 'usergroups_delete',
  domain: 'usergroups',
  description: 'Delete a user group (admin only). The admin group cannot be deleted.',
  annotations: DELETES,
  input: z.strictObject({ name: z.string() }),
  async handler(a, ctx) {
    // hoop says 422 for the admin group: the MCP server's words for it.
    await rest(ctx, 'DELETE', apiPath`/users/groups/${a.name}`, {}, { 422: (d) => (d?.includes('admin') === true ? 'cannot delete the admin group' : undefined) });
    return textResult(`user group ${quote(a.name)} deleted successfully`);
  },
});

export const usergroupTools = [usergroupsList, usergroupsCreate, usergroupsDelete];
