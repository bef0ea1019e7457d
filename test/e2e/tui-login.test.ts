import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { BIN, tempHome } from '../helpers/bridge-process.js';
import { gatewayScope } from '../helpers/scope.js';
import { HAS_TMUX, tmuxScope } from '../helpers/tmux.js';

/** The login TUI in a real terminal: tmux runs it, the test types into it and reads the screen. */
const gateway = gatewayScope();
const term = tmuxScope('login');
const waitFor = term.waitFor;

describe.runIf(HAS_TMUX)('hoop-mcp login in a real terminal', () => {
  it('signs in with email and password, never shows the password, and stores the credential', async () => {
    const gw = await gateway();
    const home = tempHome();
    // CI machines set CI, and the TUI asks nothing where it is set
    const command = `env -u CI -u CONTINUOUS_INTEGRATION HOOP_MCP_HOME=${home} ${process.execPath} ${BIN} login --credential-store file --gateway ${gw.url}; echo EXIT=$?; sleep 30`;
    term.start(command);

    await waitFor(`? Gateway URL ${gw.url}`);
    term.keys('Enter');
    await waitFor('? Email');
    term.keys('admin@example.com', 'Enter');
    await waitFor('? Password');
    term.keys('wrong-password', 'Enter');
    await waitFor('wrong email or password');
    term.keys('admin-password', 'Enter');
    const done = await waitFor('EXIT=0');

    expect(done).toContain('admin@example.com');
    expect(done).toMatch(/admin/);
    expect(done).not.toContain('admin-password');
    expect(done).not.toContain('wrong-password');
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toMatchObject({ profiles: { default: { gateway: gw.url, credentialStore: 'file' } } });
    expect(readFileSync(join(home, 'credentials.json'), 'utf8')).toContain('hoop-test-admin-token');
  });

  it('asks nothing where CI is set, even in a terminal, and says what to do instead', async () => {
    const gw = await gateway();
    term.start(`env CI=true HOOP_MCP_HOME=${tempHome()} ${process.execPath} ${BIN} login --gateway ${gw.url}; echo EXIT=$?; sleep 30`);
    const done = await waitFor('EXIT=2');
    expect(done).toContain('hoop-mcp: login asks nothing where CI is set');
    expect(done).toContain('--token-stdin');
    expect(done).not.toContain('Gateway URL');
  });
});
