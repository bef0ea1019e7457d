import { render } from 'ink';

import type { LoginActions, LoginResult } from '../shared/login.js';
import { LoginApp } from './LoginApp.js';

export interface RenderLoginOptions {
  actions: LoginActions;
  defaultGateway?: string;
  profile: string;
  importOffer?: { gateway: string; accept(): Promise<LoginResult> };
  /** Default process.stdin; must be a TTY (raw mode) or this rejects before drawing anything. */
  stdin?: NodeJS.ReadStream;
  /** Default process.stdout. */
  stdout?: NodeJS.WriteStream;
}

/**
 * Runs the login TUI and resolves with what it achieved: the result, or undefined when the user
 * quit (q, Esc, Ctrl+C). Rejects only if there is no terminal to read keys from, or if the UI
 * itself crashed.
 */
export async function renderLogin(opts: RenderLoginOptions): Promise<LoginResult | undefined> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  if (stdin.isTTY !== true) {
    throw new Error('hoop-mcp login needs a terminal to ask questions; in scripts use hoop-mcp login --gateway <url> --token-stdin');
  }
  let outcome: LoginResult | undefined;
  const app = render(
    <LoginApp
      actions={opts.actions}
      defaultGateway={opts.defaultGateway}
      profile={opts.profile}
      importOffer={opts.importOffer}
      onDone={(result) => {
        outcome = result;
      }}
    />,
    // Ctrl+C is a key like q: the app cancels a pending browser login and reports undefined.
    // No console patching: product code never uses console (lint), and it breaks under vitest.
    { stdin, stdout, exitOnCtrlC: false, patchConsole: false },
  );
  try {
    await app.waitUntilExit();
  } finally {
    app.unmount();
  }
  return outcome;
}
