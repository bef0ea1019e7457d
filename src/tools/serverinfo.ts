import { z } from 'zod';

import { READS, defineTool } from './define.js';
import { asRecord, copyWhenSet, isSet, jsonResult, rest, type Rec } from './result.js';

/** The MCP server's summary of /serverinfo: `commit_sha` is its `commit`, and only the licence facts. */
function serverinfoToMcp(s: Rec): Rec {
  const out = copyWhenSet({ version: s.version, commit: s.commit_sha, auth_method: s.auth_method, api_url: s.api_url, grpc_url: s.grpc_url, tenancy_type: s.tenancy_type }, s, [
    'idp_provider_name',
  ]);
  const l = asRecord(s.license_info);
  const license: Rec = { is_valid: l.is_valid !== false };
  if (isSet(l.verify_error)) license.verify_error = l.verify_error;
  copyWhenSet(license, l, ['key_id']);
  for (const k of ['type', 'issued_at', 'expire_at', 'allowed_hosts']) if (l[k] !== undefined) license[k] = l[k];
  license.features = Array.isArray(l.features) ? l.features : [];
  out.license_info = license;
  return out;
}

export const serverinfoGet = defineTool({
  name: 'serverinfo_get',
  domain: 'serverinfo',
  description: 'Get facts about the Hoop gateway: version, auth method, API and gRPC addresses, tenancy and licence.',
  annotations: READS,
  input: z.strictObject({}),
  async handler(_a, ctx) {
    return jsonResult(serverinfoToMcp(asRecord(await rest(ctx, 'GET', '/serverinfo'))));
  },
});

export const serverinfoTools = [serverinfoGet];
