import { z } from 'zod';

import { apiPath } from '../gateway/rest.js';
import { CREATES, DELETES, UPDATES, defineTool } from './define.js';
import { asRecord, getTool, listTool, copyWhenSet, jsonResult, quote, rest, textResult, type Rec } from './result.js';

const NOT_FOUND = { 404: 'data masking rule not found' };
const strings = z.array(z.string()).nullable();

/** datamaskingToMap: name, description and update time always; the rest when set. */
function ruleToMcp(r: Rec): Rec {
  const out: Rec = { id: r.id, name: r.name, description: r.description ?? '', updated_at: r.updated_at };
  copyWhenSet(out, r, ['supported_entity_types', 'custom_entity_types']);
  if (typeof r.score_threshold === 'number') out.score_threshold = r.score_threshold;
  return copyWhenSet(out, r, ['connection_ids', 'attributes']);
}

const shared = {
  description: z.string().optional(),
  connection_ids: strings.optional(),
  supported_entity_types: z.array(z.strictObject({ name: z.string(), entity_types: strings })).nullable().optional(),
  custom_entity_types: z
    .array(z.strictObject({ name: z.string(), regex: z.string().optional(), deny_list: strings.optional(), score: z.number().optional() }))
    .nullable()
    .optional(),
  score_threshold: z.number().nullable().optional(),
  attributes: strings.optional(),
};
type Shared = z.output<z.ZodObject<typeof shared>>;

function fields(a: Shared): Rec {
  return {
    description: a.description ?? '',
    connection_ids: a.connection_ids ?? [],
    supported_entity_types: (a.supported_entity_types ?? []).map((s) => ({ name: s.name, entity_types: s.entity_types ?? [] })),
    custom_entity_types: (a.custom_entity_types ?? []).map((c) => ({ name: c.name, regex: c.regex ?? '', deny_list: c.deny_list ?? [], score: c.score ?? 0 })),
    score_threshold: a.score_threshold ?? null,
  };
}

const HELP =
  'supported_entity_types groups preset entity types under an UPPERCASE name (e.g. CONTACT_INFORMATION); custom_entity_types need a regex or a deny_list. ' +
  'The gateway must have a data masking provider configured.';

export const datamaskingRulesList = listTool({ name: 'datamasking_rules_list', domain: 'datamasking', description: 'List the data masking rules that redact sensitive values in results (admins and auditors).', path: '/datamasking-rules', toMcp: ruleToMcp });

export const datamaskingRulesGet = getTool({
  name: 'datamasking_rules_get',
  domain: 'datamasking',
  description: 'Get one data masking rule by ID (admins and auditors).',
  key: 'id',
  path: (v) => apiPath`/datamasking-rules/${v}`,
  on: NOT_FOUND,
  toMcp: ruleToMcp,
});

export const datamaskingRulesCreate = defineTool({
  name: 'datamasking_rules_create',
  domain: 'datamasking',
  description: `Create a data masking rule (admin only), optionally applied to connections by ID. ${HELP}`,
  annotations: CREATES,
  input: z.strictObject({ name: z.string(), ...shared }),
  async handler(a, ctx) {
    const body = { name: a.name, ...fields(a), attributes: a.attributes ?? [] };
    const r = await rest(ctx, 'POST', '/datamasking-rules', { body }, { 409: 'data masking rule already exists' });
    return jsonResult(ruleToMcp(asRecord(r)));
  },
});

export const datamaskingRulesUpdate = defineTool({
  name: 'datamasking_rules_update',
  domain: 'datamasking',
  description: `Replace the settings of a data masking rule by ID (admin only); its name stays. Fields you leave out are cleared, except attributes, which stay unless given. ${HELP}`,
  annotations: UPDATES,
  input: z.strictObject({ id: z.string(), ...shared }),
  async handler(a, ctx) {
    // REST's PUT needs the name, which the tool does not take: read it first.
    const current = asRecord(await rest(ctx, 'GET', apiPath`/datamasking-rules/${a.id}`, {}, NOT_FOUND));
    const body = { name: current.name, ...fields(a), attributes: a.attributes ?? current.attributes ?? [] };
    return jsonResult(ruleToMcp(asRecord(await rest(ctx, 'PUT', apiPath`/datamasking-rules/${a.id}`, { body }, NOT_FOUND))));
  },
});

export const datamaskingRulesDelete = defineTool({
  name: 'datamasking_rules_delete',
  domain: 'datamasking',
  description: 'Delete a data masking rule by ID (admin only).',
  annotations: DELETES,
  input: z.strictObject({ id: z.string() }),
  async handler(a, ctx) {
    await rest(ctx, 'DELETE', apiPath`/datamasking-rules/${a.id}`, {}, NOT_FOUND);
    return textResult(`data masking rule ${quote(a.id)} deleted successfully`);
  },
});

export const datamaskingTools = [datamaskingRulesList, datamaskingRulesGet, datamaskingRulesCreate, datamaskingRulesUpdate, datamaskingRulesDelete];
