import { z } from 'zod';

import { apiPath } from '../gateway/rest.js';
import { CREATES, DELETES, READS, UPDATES, defineTool } from './define.js';
import { asList, asRecord, copyWhenSet, getTool, jsonResult, quote, rest, textResult, type Rec } from './result.js';

const NOT_FOUND = { 404: 'access request rule not found' };
const strings = z.array(z.string()).nullable();

/** accessRequestRuleToMap: `approval_required_groups` always (empty means everyone), attributes as `rule_attributes`. */
function ruleToMcp(r: Rec): Rec {
  const out: Rec = {
    id: r.id,
    name: r.name,
    access_type: r.access_type,
    all_groups_must_approve: r.all_groups_must_approve === true,
    created_at: r.created_at,
    updated_at: r.updated_at,
    approval_required_groups: asList(r.approval_required_groups),
  };
  if (typeof r.description === 'string') out.description = r.description;
  copyWhenSet(out, r, ['connection_names', 'reviewers_groups', 'force_approval_groups', 'skip_review_groups']);
  if (typeof r.min_approvals === 'number') out.min_approvals = r.min_approvals;
  if (typeof r.access_max_duration === 'number') out.access_max_duration = r.access_max_duration;
  const attributes = asList(r.attributes);
  if (attributes.length > 0) out.rule_attributes = attributes.map((name) => ({ attribute_name: name }));
  return out;
}

const ruleInput = z.strictObject({
  name: z.string(),
  description: z.string().nullable().optional(),
  access_type: z.enum(['jit', 'command', 'jit_command']),
  connection_names: strings.optional(),
  approval_required_groups: strings,
  reviewers_groups: strings,
  force_approval_groups: strings.optional(),
  skip_review_groups: strings.optional(),
  all_groups_must_approve: z.boolean(),
  min_approvals: z.int().nullable().optional(),
  access_max_duration: z.int().nullable().optional(),
  attributes: strings.optional(),
});

/** REST needs every list key present (an empty list is fine) and treats the body as the whole rule. */
function body(a: z.output<typeof ruleInput>): Rec {
  return {
    name: a.name,
    description: a.description ?? null,
    access_type: a.access_type,
    connection_names: a.connection_names ?? [],
    approval_required_groups: a.approval_required_groups ?? [],
    reviewers_groups: a.reviewers_groups ?? [],
    force_approval_groups: a.force_approval_groups ?? [],
    skip_review_groups: a.skip_review_groups ?? [],
    all_groups_must_approve: a.all_groups_must_approve,
    min_approvals: a.min_approvals ?? null,
    access_max_duration: a.access_max_duration ?? null,
    attributes: a.attributes ?? [],
  };
}

const HELP =
  'access_type is jit (time-boxed sessions), command (one-off commands) or jit_command. An empty approval_required_groups means the rule applies to everyone; ' +
  'reviewers_groups needs at least one group; min_approvals (≥1) is needed unless all_groups_must_approve; access_max_duration is in seconds. ' +
  'Give connection_names or attributes.';

export const accessRequestRulesList = defineTool({
  name: 'access_request_rules_list',
  domain: 'access-request-rules',
  description: 'List the access request rules that decide which access needs approval (admins and auditors). page starts at 1; page_size 0 returns all.',
  annotations: READS,
  input: z.strictObject({ page: z.int().optional(), page_size: z.int().optional() }),
  async handler(a, ctx) {
    const page = asRecord(await rest(ctx, 'GET', '/access-requests/rules', { query: { page: a.page, page_size: a.page_size } }));
    return jsonResult({ pages: page.pages, data: asList(page.data).map((r) => ruleToMcp(asRecord(r))) });
  },
});

export const accessRequestRulesGet = getTool({
  name: 'access_request_rules_get',
  domain: 'access-request-rules',
  description: 'Get one access request rule by name (admins and auditors).',
  key: 'name',
  path: (v) => apiPath`/access-requests/rules/${v}`,
  on: NOT_FOUND,
  toMcp: ruleToMcp,
});

export const accessRequestRulesCreate = defineTool({
  name: 'access_request_rules_create',
  domain: 'access-request-rules',
  description: `Create an access request rule (admin only). Fails when a rule with the same name, or the same connections (or attributes) and access type, exists. ${HELP}`,
  annotations: CREATES,
  input: ruleInput,
  async handler(a, ctx) {
    // hoop reports conflicts as 422 over REST; its message says which.
    return jsonResult(ruleToMcp(asRecord(await rest(ctx, 'POST', '/access-requests/rules', { body: body(a) }))));
  },
});

export const accessRequestRulesUpdate = defineTool({
  name: 'access_request_rules_update',
  domain: 'access-request-rules',
  description: `Replace an access request rule found by name (admin only): optional fields you leave out are cleared. ${HELP}`,
  annotations: UPDATES,
  input: ruleInput,
  async handler(a, ctx) {
    return jsonResult(ruleToMcp(asRecord(await rest(ctx, 'PUT', apiPath`/access-requests/rules/${a.name}`, { body: body(a) }, NOT_FOUND))));
  },
});

export const accessRequestRulesDelete = defineTool({
  name: 'access_request_rules_delete',
  domain: 'access-request-rules',
  description: 'Delete an access request rule by name (admin only).',
  annotations: DELETES,
  input: z.strictObject({ name: z.string() }),
  async handler(a, ctx) {
    await rest(ctx, 'DELETE', apiPath`/access-requests/rules/${a.name}`, {}, NOT_FOUND);
    return textResult(`access request rule ${quote(a.name)} deleted successfully`);
  },
});

export const accessRequestRuleTools = [accessRequestRulesList, accessRequestRulesGet, accessRequestRulesCreate, accessRequestRulesUpdate, accessRequestRulesDelete];
