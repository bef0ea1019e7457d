import { accessRequestRuleTools } from './access-request-rules.js';
import { connectionTools } from './connections.js';
import { datamaskingTools } from './datamasking.js';
import type { RestTool } from './define.js';
import { guardrailTools } from './guardrails.js';
import { reviewTools } from './reviews.js';
import { runbookRuleTools } from './runbook-rules.js';
import { serverinfoTools } from './serverinfo.js';
import { sessionTools } from './sessions.js';
import { usergroupTools } from './usergroups.js';
import { userTools } from './users.js';

export type { RestTool, ToolContext } from './define.js';

/** The 36 tools of hoop's first MCP server (v1), served over REST, in the gateway's order. */
export function allTools(): RestTool[] {
  return [
    ...connectionTools,
    ...guardrailTools,
    ...datamaskingTools,
    ...usergroupTools,
    ...userTools,
    ...reviewTools,
    ...accessRequestRuleTools,
    ...runbookRuleTools,
    ...sessionTools,
    ...serverinfoTools,
  ];
}
