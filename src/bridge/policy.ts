import type { Tool } from '../shared/mcp.js';

/**
 * Which tools the bridge exposes. Every rule only narrows: read-only keeps tools the gateway
 * annotates `readOnlyHint: true` (never a second list), each allow-list must match, any deny
 * glob hides (deny wins). Profile and flags are combined with `narrow`, so a flag can never
 * show a tool the profile hides. The order of checks below is the order reported to users.
 */
export interface Policy {
  readOnly: boolean;
  /** Each entry is one allow-list (from the profile, from a flag); a tool must match all of them. */
  allow: readonly (readonly string[])[];
  deny: readonly string[];
}

export const OPEN_POLICY: Policy = { readOnly: false, allow: [], deny: [] };

/** The policy from one source (a profile or the flags). */
export function policyOf(src: { readOnly?: boolean | undefined; tools?: readonly string[] | undefined; excludeTools?: readonly string[] | undefined }): Policy {
  return { readOnly: src.readOnly === true, allow: src.tools !== undefined ? [src.tools] : [], deny: src.excludeTools ?? [] };
}

/** Both policies at once: the intersection of what each exposes. */
export function narrow(a: Policy, b: Policy): Policy {
  return { readOnly: a.readOnly || b.readOnly, allow: [...a.allow, ...b.allow], deny: [...a.deny, ...b.deny] };
}

export function isOpen(p: Policy): boolean {
  return !p.readOnly && p.allow.length === 0 && p.deny.length === 0;
}

/** `--tools a,b*` → ['a', 'b*']; blanks dropped. */
export function parseGlobList(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** `*` matches any run of characters; everything else is literal. Anchored, case-sensitive. */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(name);
}

type ToolMeta = Pick<Tool, 'name' | 'annotations'>;

/** Why a tool is hidden, as a phrase naming the rule; undefined when it is exposed. */
export function hiddenBecause(tool: ToolMeta, p: Policy): string | undefined {
  if (p.readOnly && tool.annotations?.readOnlyHint !== true) return 'read-only mode is on and the gateway does not annotate it read-only';
  const denied = p.deny.find((g) => globMatches(g, tool.name));
  if (denied !== undefined) return `it matches the exclude pattern "${denied}"`;
  const missed = p.allow.find((list) => !list.some((g) => globMatches(g, tool.name)));
  if (missed !== undefined) return `it is not in the allowed tools (${missed.join(', ') || 'none'})`;
  return undefined;
}

export function isExposed(tool: ToolMeta, p: Policy): boolean {
  return hiddenBecause(tool, p) === undefined;
}

export function visibleTools<T extends ToolMeta>(tools: readonly T[], p: Policy): T[] {
  return tools.filter((t) => isExposed(t, p));
}

/** One line for logs and `tools`: what is active. */
export function describePolicy(p: Policy): string {
  if (isOpen(p)) return 'all tools';
  const parts: string[] = [];
  if (p.readOnly) parts.push('read-only');
  for (const list of p.allow) parts.push(`only ${list.join(', ') || '(none)'}`);
  if (p.deny.length > 0) parts.push(`not ${p.deny.join(', ')}`);
  return parts.join('; ');
}
