import { render } from 'ink';

import type { DecideOutcome, ReviewChange, ReviewsSnapshot, Verdict } from '../shared/review.js';
import { ApprovalsApp } from './ApprovalsApp.js';

export interface RenderApprovalsOptions {
  reviews: AsyncIterable<ReviewsSnapshot>;
  onDecide(id: string, verdict: Verdict, reason?: string): Promise<DecideOutcome>;
  onOpen(url: string): void;
  title: string;
  /** Reviews that appeared or changed status after the first poll (the bell has rung already). */
  onChanges?(changes: ReviewChange[]): void;
  /** Ring the terminal bell on a change. Default true. */
  bell?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Runs the approvals watcher until the user quits. The bell is rung here, outside the component:
 * a BEL byte moves no cursor, so it never disturbs ink's frame.
 */
export async function renderApprovals(opts: RenderApprovalsOptions): Promise<void> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  if (stdin.isTTY !== true) throw new Error('hoop-mcp approvals needs a terminal; in scripts use --json or --once');
  const app = render(
    <ApprovalsApp reviews={announce(opts, stdout)} onDecide={opts.onDecide} onOpen={opts.onOpen} title={opts.title} />,
    { stdin, stdout, exitOnCtrlC: false, patchConsole: false },
  );
  try {
    await app.waitUntilExit();
  } finally {
    app.unmount();
  }
}

async function* announce(opts: RenderApprovalsOptions, stdout: NodeJS.WriteStream): AsyncGenerator<ReviewsSnapshot> {
  let first = true;
  for await (const snapshot of opts.reviews) {
    if (!first && snapshot.changes.length > 0) {
      if (opts.bell !== false) stdout.write('\u0007');
      opts.onChanges?.(snapshot.changes);
    }
    first = false;
    yield snapshot;
  }
}
