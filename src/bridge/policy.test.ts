import { describe, expect, it } from 'vitest';

import type { Tool } from '../shared/mcp.js';
import { globMatches, hiddenBecause, isExposed, narrow, OPEN_POLICY, parseGlobList, policyOf, visibleTools, type Policy } from './policy.js';

const tool = (name: string, readOnly?: boolean): Tool => ({ name, inputSchema: { type: 'object' }, ...(readOnly !== undefined ? { annotations: { readOnlyHint: readOnly } } : {}) });
const TOOLS = [tool('connections_list', true), tool('connections_delete', false), tool('exec'), tool('reviews_get', true), tool('reviews_update', false)];
const names = (p: Policy): string[] => visibleTools(TOOLS, p).map((t) => t.name);

describe('policy', () => {
  it.each([
    ['*', 'anything', true],
    ['connections_*', 'connections_list', true],
    ['connections_*', 'xconnections_list', false],
    ['*_list', 'users_list', true],
    ['exec', 'exec', true],
    ['exec', 'exec2', false],
    ['a.b', 'axb', false],
  ])('glob %s against %s → %s', (glob, name, expected) => {
    expect(globMatches(glob, name)).toBe(expected);
  });

  it('parses comma-separated globs and drops blanks', () => {
    expect(parseGlobList(' a, b* ,,')).toEqual(['a', 'b*']);
  });

  it('exposes everything when open', () => {
    expect(names(OPEN_POLICY)).toEqual(TOOLS.map((t) => t.name));
  });

  it('read-only keeps only tools annotated readOnlyHint: true (a missing annotation is not read-only)', () => {
    expect(names(policyOf({ readOnly: true }))).toEqual(['connections_list', 'reviews_get']);
    expect(hiddenBecause(tool('exec'), policyOf({ readOnly: true }))).toMatch(/read-only/);
  });

  it('allow-lists and deny-lists by glob, and deny wins', () => {
    expect(names(policyOf({ tools: ['connections_*', 'exec'] }))).toEqual(['connections_list', 'connections_delete', 'exec']);
    expect(names(policyOf({ tools: ['connections_*'], excludeTools: ['*_delete'] }))).toEqual(['connections_list']);
    expect(hiddenBecause(tool('connections_delete'), policyOf({ tools: ['*'], excludeTools: ['*_delete'] }))).toBe('it matches the exclude pattern "*_delete"');
  });

  it('flags narrow a profile and never widen it', () => {
    const profile = policyOf({ readOnly: true, tools: ['connections_*', 'reviews_*'] });
    const cases: Policy[] = [
      policyOf({}),
      policyOf({ tools: ['*'] }),
      policyOf({ tools: ['exec', 'connections_delete'] }),
      policyOf({ readOnly: false, tools: ['reviews_*'] }),
      policyOf({ excludeTools: ['reviews_get'] }),
    ];
    for (const flags of cases) {
      const both = names(narrow(profile, flags));
      for (const n of both) {
        expect(names(profile)).toContain(n);
        expect(names(flags)).toContain(n);
      }
    }
    expect(names(narrow(profile, policyOf({ tools: ['*'] })))).toEqual(['connections_list', 'reviews_get']);
    expect(names(narrow(profile, policyOf({ tools: ['exec'] })))).toEqual([]);
    expect(names(narrow(profile, policyOf({ excludeTools: ['reviews_get'] })))).toEqual(['connections_list']);
  });

  it('judges by the tool alone, so a name without annotations is hidden in read-only mode', () => {
    expect(isExposed({ name: 'connections_list' }, policyOf({ tools: ['connections_*'] }))).toBe(true);
    expect(isExposed({ name: 'connections_list' }, policyOf({ readOnly: true }))).toBe(false);
  });
});
