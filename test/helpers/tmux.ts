import { execFileSync, spawnSync } from 'node:child_process';

import { afterEach, beforeEach } from 'vitest';

export const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;

export interface Terminal {
  /** Starts `command` in a detached session of the given size. */
  start(command: string, size?: { columns: number; rows: number }): void;
  keys(...keys: string[]): void;
  screen(): string;
  /** Polls the screen until it shows `text`; fails with the last screen. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
}

/**
 * A real terminal for TUI tests: a private tmux server per test, killed after it. Each test gets
 * its own socket: a server told to exit may still hold the old one when the next test starts.
 */
export function tmuxScope(name: string): Terminal {
  let tests = 0;
  let socket = '';
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  beforeEach(() => {
    socket = `hoop-mcp-${name}-${process.pid}-${++tests}`;
  });
  afterEach(() => {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
  });
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', name);
  return {
    start: (command, size = { columns: 120, rows: 40 }) => void tmux('new-session', '-d', '-s', name, '-x', String(size.columns), '-y', String(size.rows), command),
    keys: (...keys) => void tmux('send-keys', '-t', name, ...keys),
    screen,
    waitFor: async (text, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen();
        if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return shown;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen:\n${shown}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
