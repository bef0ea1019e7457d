import { describe, expect, it } from 'vitest';

import { BIN, tempHome } from '../helpers/bridge-process.js';
import { seedReview } from '../helpers/reviews.js';
import { gatewayScope } from '../helpers/scope.js';
import { HAS_TMUX, tmuxScope } from '../helpers/tmux.js';

/** The approvals watcher in a real terminal: tmux runs it, the test presses keys and reads the screen. */
const gateway = gatewayScope();
const term = tmuxScope('approvals');
const { waitFor, screen } = term;

describe.runIf(HAS_TMUX)('hoop-mcp approvals in a real terminal', () => {
  it('shows a review as it appears, approves it with `a`, and quits with `q`', async () => {
    const gw = await gateway();
    // CI machines set CI, and the live view asks nothing where it is set
    const command = `env -u CI -u CONTINUOUS_INTEGRATION HOOP_TOKEN=hoop-test-admin-token HOOP_MCP_HOME=${tempHome()} ${process.execPath} ${BIN} approvals --gateway ${gw.url} --interval 0.1; echo EXIT=$?; sleep 30`;
    term.start(command, { columns: 140, rows: 30 });

    await waitFor('no reviews');
    expect(screen()).toContain('a approve');
    const id = seedReview(gw, { input: 'delete from orders where id = 42' });
    const shown = await waitFor('delete from orders where id = 42');
    expect(shown).toMatch(/▸ PENDING\s+prod-postgres\s+user@example\.com\s+one-time/);

    term.keys('a');
    await waitFor(`Approved ${id}`);
    await waitFor(/▸ APPROVED\s+prod-postgres/);
    const puts = gw.requests.filter((r) => r.method === 'PUT' && r.path === `/api/reviews/${id}`);
    expect(puts).toHaveLength(1);
    expect(puts[0]?.body).toEqual({ status: 'APPROVED' });
    expect(gw.state.reviews.get(id)?.['status']).toBe('APPROVED');

    term.keys('q');
    await waitFor('EXIT=0');
  });
});
