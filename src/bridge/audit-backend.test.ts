import { describe, expect, it } from 'vitest';

import type { CallToolResult } from '../shared/mcp.js';
import { pendingApproval } from './approval-notice.js';
import { AuditBackend, type AuditRecord } from './audit-backend.js';
import type { Backend } from './backend.js';

const silent = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, close: () => undefined };

function backendAnswering(answer: (signal: AbortSignal) => Promise<CallToolResult>): Backend {
  return {
    kind: 'mcp',
    listTools: async () => [],
    callTool: (_p, ctx) => answer(ctx.signal),
    forward: async () => ({}),
    notify: () => undefined,
    close: async () => undefined,
  };
}

async function record(answer: (signal: AbortSignal) => Promise<CallToolResult>, abort = false): Promise<AuditRecord> {
  const records: AuditRecord[] = [];
  const audited = new AuditBackend({ inner: backendAnswering(answer), sink: { append: async (r) => records.push(r) }, profile: 'p', gateway: 'https://g', client: 'cursor', logger: silent });
  const ctl = new AbortController();
  if (abort) ctl.abort();
  await audited.callTool({ name: 'exec', arguments: { input: 'select 1' } }, { signal: ctl.signal, sendProgress: () => undefined }).catch(() => undefined);
  return records[0]!;
}

describe('AuditBackend', () => {
  it('records the review id of a pending_approval envelope', async () => {
    const envelope = { status: 'pending_approval', review_id: 'rev-1', session_id: 'rev-1' };
    const r = await record(async () => ({ content: [{ type: 'text', text: JSON.stringify(envelope) }] }));
    expect(r).toMatchObject({ tool: 'exec', client: 'cursor', outcome: 'ok', reviewId: 'rev-1' });
    expect(pendingApproval({ structuredContent: envelope })?.review_id).toBe('rev-1');
    expect(pendingApproval({ content: [{ type: 'text', text: 'not json' }] })).toBeUndefined();
  });

  it.each([
    ['tool-error', async () => ({ content: [], isError: true }), false],
    ['protocol-error', () => Promise.reject(new Error('boom')), false],
    ['cancelled', () => Promise.reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), true],
  ] as const)('records %s', async (outcome, answer, abort) => {
    expect((await record(answer, abort)).outcome).toBe(outcome);
  });
});
