import { describe, expect, it } from 'vitest';

import { main } from './cli.js';

describe('main', () => {
  it('hides token-shaped text in the one line it prints on failure', async () => {
    let printed = '';
    const code = await main(['node', 'hoop-mcp', 'status', '--gateway', 'no url hpk_abcdefgh12345678'], { write: (s: string) => (printed += s) });
    expect(code).toBe(2);
    expect(printed).toMatch(/^hoop-mcp: .*not a valid gateway URL/);
    expect(printed).toContain('[REDACTED]');
    expect(printed).not.toContain('hpk_abcdefgh12345678');
  });
});
