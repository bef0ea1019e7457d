import { z } from 'zod';

import { apiPath } from '../gateway/rest.js';
import { CREATES, DELETES, UPDATES, defineTool } from './define.js';
import { asList, asRecord, getTool, listTool, copyWhenSet, isSet, jsonResult, quote, rest, textResult, type Rec } from './result.js';

const NOT_FOUND = { 404: 'runbook rule not found' };
const strings = z.array(z.string()).nullable();
const runbooks = z.array(z.strictObject({ repository: z.string(), name: z.string() })).nullable();

/** runbookRuleToMap. */
function ruleToMcp(r: Rec): Rec {
  const out = copyWhenSet({ id: r.id, name: r.name, created_at: r.created_at, updated_at: r.updated_at }, r, ['description', 'user_groups', 'connections']);
  const books = asList(r.runbooks);
  if (books.length > 0) out.runbooks = books.map((b) => ({ repository: asRecord(b).repository, name: asRecord(b).name }));
  return out;
}

const HELP = 'runbooks are {repository: git URL, name: file path}; connections are connection names.';

export const runbookRulesList = listTool({ name: 'runbook_rules_list', domain: 'runbook-rules', description: 'List the runbook rules that say which groups may run which runbooks on which connections (admins and auditors).', path: '/runbooks/rules', toMcp: ruleToMcp });

export const runbookRulesGet = getTool({
  name: 'runbook_rules_get',
  domain: 'runbook-rules',
  description: 'Get one runbook rule by ID (admins and auditors).',
  key: 'id',
  path: (v) => apiPath`/runbooks/rules/${v}`,
  on: NOT_FOUND,
  toMcp: ruleToMcp,
});

export const runbookRulesCreate = defineTool({
  name: 'runbook_rules_create',
  domain: 'runbook-rules',
  description: `Create a runbook rule (admin only). ${HELP}`,
  annotations: CREATES,
  input: z.strictObject({ name: z.string(), description: z.string().optional(), user_groups: strings.optional(), connections: strings.optional(), runbooks: runbooks.optional() }),
  async handler(a, ctx) {
    const body = { name: a.name, description: a.description ?? '', user_groups: a.user_groups ?? [], connections: a.connections ?? [], runbooks: a.runbooks ?? [] };
    return jsonResult(ruleToMcp(asRecord(await rest(ctx, 'POST', '/runbooks/rules', { body }))));
  },
});

export const runbookRulesUpdate = defineTool({
  name: 'runbook_rules_update',
  domain: 'runbook-rules',
  description: `Change a runbook rule by ID (admin only): only the fields you give change (an empty name or description is ignored; an empty list clears). ${HELP}`,
  annotations: UPDATES,
  input: z.strictObject({
    id: z.string(),
    name: z.string().optional(),
    description: z.string().optional(),
    user_groups: strings.optional(),
    connections: strings.optional(),
    runbooks: runbooks.optional(),
  }),
  async handler(a, ctx) {
    // REST's PUT replaces the whole rule; the tool changes only what it is given, so merge first.
    const path = apiPath`/runbooks/rules/${a.id}`;
    const cur = asRecord(await rest(ctx, 'GET', path, {}, NOT_FOUND));
    const text = (given: string | undefined, stored: unknown): unknown => (isSet(given) ? given : (stored ?? ''));
    // a list given, even empty, replaces the stored one (hoop's `!= nil`); null or absent keeps it
    const list = (given: unknown[] | null | undefined, stored: unknown): unknown => given ?? stored ?? [];
    const body = {
      name: text(a.name, cur.name),
      description: text(a.description, cur.description),
      user_groups: list(a.user_groups, cur.user_groups),
      connections: list(a.connections, cur.connections),
      runbooks: list(a.runbooks, cur.runbooks),
    };
    return jsonResult(ruleToMcp(asRecord(await rest(ctx, 'PUT', path, { body }, NOT_FOUND))));
  },
});

export const runbookRulesDelete = defineTool({
  name: 'runbook_rules_delete',
  domain: 'runbook-rules',
  description: 'Delete a runbook rule by ID (admin only).',
  annotations: DELETES,
  input: z.strictObject({ id: z.string() }),
  async handler(a, ctx) {
    await rest(ctx, 'DELETE', apiPath`/runbooks/rules/${a.id}`, {}, NOT_FOUND);
    return textResult(`runbook rule ${quote(a.id)} deleted successfully`);
  },
});

export const runbookRuleTools = [runbookRulesList, runbookRulesGet, runbookRulesCreate, runbookRulesUpdate, runbookRulesDelete];
