import { describe, expect, it, vi } from 'vitest';

import type { Logger } from '../shared/log.js';
import type { CallToolResult } from '../shared/mcp.js';
import { ApprovalNoticeBackend, pendingApproval } from './approval-notice.js';
import type { Backend, ClientChannel } from './backend.js';

const PENDING = { status: 'pending_approval', session_id: 's-1', review_id: 's-1', review_url: 'https://hoop.example.com/sessions/s-1', message: 'needs approval', next_step: 'reviews_wait' };

function setup(result: CallToolResult) {
  const inner: Backend = {
    kind: 'mcp',
    listTools: async () => [],
    callTool: async () => result,
    forward: async () => ({}),
    notify: () => undefined,
    close: async () => undefined,
  };
  const client: ClientChannel = { notify: vi.fn(), request: async () => ({}) };
  const logger: Logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn(), close: vi.fn() };
  const backend = new ApprovalNoticeBackend(inner, client, logger);
  const call = () => backend.callTool({ name: 'exec', arguments: {} }, { signal: new AbortController().signal, sendProgress: () => undefined });
  return { backend, client, logger, call };
}

describe('ApprovalNoticeBackend', () => {
  it('announces a pending_approval result on stderr and to the client, and returns the very same result', async () => {
    const result = { content: [{ type: 'text', text: JSON.stringify(PENDING) }] };
    const t = setup(result);
    expect(await t.call()).toBe(result);
    expect(t.logger.warn).toHaveBeenCalledWith(expect.stringMatching(/review s-1 .*npx hoop-mcp approvals/));
    expect(t.client.notify).toHaveBeenCalledWith('notifications/message', { level: 'warning', logger: 'hoop-mcp', data: expect.stringContaining('review s-1') });
  });

  it('stays quiet for other results, and toward a client that asked for errors only', async () => {
    const plain = setup({ content: [{ type: 'text', text: '{"status":"completed"}' }] });
    await plain.call();
    expect(plain.client.notify).not.toHaveBeenCalled();
    expect(plain.logger.warn).not.toHaveBeenCalled();

    const quiet = setup({ content: [], structuredContent: PENDING });
    await quiet.backend.forward('logging/setLevel', { level: 'error' }, new AbortController().signal);
    await quiet.call();
    expect(quiet.logger.warn).toHaveBeenCalled();
    expect(quiet.client.notify).not.toHaveBeenCalled();
    await quiet.backend.forward('logging/setLevel', { level: 'info' }, new AbortController().signal);
    await quiet.call();
    expect(quiet.client.notify).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['text that is not JSON', { content: [{ type: 'text', text: 'pending_approval, maybe' }] }],
    ['an envelope without a review id', { content: [{ type: 'text', text: '{"status":"pending_approval"}' }] }],
    ['no content', {}],
  ])('finds no envelope in %s', (_label, result) => {
    expect(pendingApproval(result)).toBeUndefined();
  });
});
