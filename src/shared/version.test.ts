import { describe, expect, it } from 'vitest';

import { userClient, VERSION } from './version.js';

describe('userClient', () => {
  it('names the client after hoop-mcp\'s own product token', () => {
    expect(userClient({ name: 'claude-code', version: '2.0.1' })).toBe(`hoop-mcp/${VERSION} (claude-code 2.0.1)`);
  });

  it('keeps the header value legal whatever the client calls itself', () => {
    expect(userClient({ name: 'Evil\r\nX-Injected: 1 (é)', version: '1' })).toBe(`hoop-mcp/${VERSION} (Evil__X-Injected: 1 ___ 1)`);
  });
});
