import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { BIN, tempHome } from '../helpers/bridge-process.js';
import { gatewayScope } from '../helpers/scope.js';

/** The login TUI in a real terminal: tmux runs it, the test types into it and reads the screen. */
const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `hoop-mcp-test-${process.pid}`;
const gateway = gatewayScope();

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', 'login');

async function waitFor(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const shown = screen();
    if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${shown}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterEach(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

describe.runIf(HAS_TMUX)('hoop-mcp login in a real terminal', () => {
  it('signs in with email and password, never shows the password, and stores the credential', async () => {
    const gw = await gateway();
    const home = tempHome();
    const command = `env HOOP_MCP_HOME=${home} ${process.execPath} ${BIN} login --credential-store file --gateway ${gw.url}; echo EXIT=$?; sleep 30`;
    tmux('new-session', '-d', '-s', 'login', '-x', '120', '-y', '40', command);

    await waitFor(`? Gateway URL ${gw.url}`);
    tmux('send-keys', '-t', 'login', 'Enter');
    await waitFor('? Email');
    tmux('send-keys', '-t', 'login', 'admin@example.com', 'Enter');
    await waitFor('? Password');
    tmux('send-keys', '-t', 'login', 'wrong-password', 'Enter');
    await waitFor('wrong email or password');
    tmux('send-keys', '-t', 'login', 'admin-password', 'Enter');
    const done = await waitFor('EXIT=0');

    expect(done).toContain('admin@example.com');
    expect(done).toMatch(/admin/);
    expect(done).not.toContain('admin-password');
    expect(done).not.toContain('wrong-password');
    expect(JSON.parse(readFileSync(join(home, 'config.json'), 'utf8'))).toMatchObject({ profiles: { default: { gateway: gw.url, credentialStore: 'file' } } });
    expect(readFileSync(join(home, 'credentials.json'), 'utf8')).toContain('hoop-test-admin-token');
  });
});
