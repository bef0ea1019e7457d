import { z } from 'zod';

import { apiPath } from '../gateway/rest.js';
import { CREATES, DELETES, UPDATES, defineTool } from './define.js';
import { asRecord, getTool, listTool, copyWhenSet, jsonResult, quote, rest, textResult, type Rec } from './result.js';

const NOT_FOUND = { 404: 'guardrail rule not found' };
const ruleSet = z.record(z.string(), z.unknown());
const fields = {
  name: z.string(),
  description: z.string().optional(),
  input: ruleSet.optional(),
  output: ruleSet.optional(),
  connection_ids: z.array(z.string()).nullable().optional(),
};

/** guardrailToMap: the dates always, the rule parts when set. */
function guardrailToMcp(g: Rec): Rec {
  const out: Rec = { id: g.id, name: g.name, description: g.description ?? '', created_at: g.created_at, updated_at: g.updated_at };
  return copyWhenSet(out, g, ['input', 'output', 'connection_ids', 'attributes']);
}

const body = (a: z.output<z.ZodObject<typeof fields>>): Rec => ({
  name: a.name,
  description: a.description ?? '',
  input: a.input ?? {},
  output: a.output ?? {},
  // hoop drops empty ids
  connection_ids: (a.connection_ids ?? []).filter((id) => id !== ''),
});

const RULES_HELP =
  'input and output each hold {"rules":[{"type":"deny_words_list","words":[…]} or {"type":"pattern_match","pattern_regex":"…"}, with an optional "message"]}.';

export const guardrailsList = listTool({ name: 'guardrails_list', domain: 'guardrails', description: 'List the guardrail rules that check what goes into and comes out of connections (admins and auditors).', path: '/guardrails', toMcp: guardrailToMcp });

export const guardrailsGet = getTool({
  name: 'guardrails_get',
  domain: 'guardrails',
  description: 'Get one guardrail rule by its ID (admins and auditors).',
  key: 'id',
  path: (v) => apiPath`/guardrails/${v}`,
  on: NOT_FOUND,
  toMcp: guardrailToMcp,
});

export const guardrailsCreate = defineTool({
  name: 'guardrails_create',
  domain: 'guardrails',
  description: `Create a guardrail rule (admin only), optionally applied to connections by ID. ${RULES_HELP}`,
  annotations: CREATES,
  input: z.strictObject(fields),
  async handler(a, ctx) {
    const g = await rest(ctx, 'POST', '/guardrails', { body: body(a) }, { 409: 'guardrail rule already exists' });
    return jsonResult(guardrailToMcp(asRecord(g)));
  },
});

export const guardrailsUpdate = defineTool({
  name: 'guardrails_update',
  domain: 'guardrails',
  description: `Replace a guardrail rule by ID (admin only): every field you leave out is cleared. ${RULES_HELP}`,
  annotations: UPDATES,
  input: z.strictObject({ id: z.string(), ...fields }),
  async handler(a, ctx) {
    const g = await rest(ctx, 'PUT', apiPath`/guardrails/${a.id}`, { body: body(a) }, NOT_FOUND);
    return jsonResult(guardrailToMcp(asRecord(g)));
  },
});

export const guardrailsDelete = defineTool({
  name: 'guardrails_delete',
  domain: 'guardrails',
  description: 'Delete a guardrail rule by ID (admin only). Rules managed by Hoop cannot be deleted.',
  annotations: DELETES,
  input: z.strictObject({ id: z.string() }),
  async handler(a, ctx) {
    await rest(ctx, 'DELETE', apiPath`/guardrails/${a.id}`, {}, NOT_FOUND);
    return textResult(`guardrail rule ${quote(a.id)} deleted successfully`);
  },
});

export const guardrailTools = [guardrailsList, guardrailsGet, guardrailsCreate, guardrailsUpdate, guardrailsDelete];
