import { render } from 'ink';

import type { DecideOutcome, ReviewChange, ReviewsSnapshot, Verdict } from '../shared/review.js';
import { ApprovalsApp } from './ApprovalsApp.js';

export interface RenderApprovalsOptions {
  reviews: AsyncIterable<ReviewsSnapshot>;
  onDecide(id: string, verdict: Verdict, reason?: string): Promise<DecideOutcome>;
  onOpen(url: string): Promise<boolean>;
  title: string;
  /** Reviews that appeared or changed status after the first list (the bell has rung already). */
  onChanges?(changes: ReviewChange[]): void;
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
  // The first list read is where the user starts, not news; polls that failed before it read none.
  let listed = false;
  for await (const snapshot of opts.reviews) {
    if (listed && snapshot.changes.length > 0) {
      stdout.write('\u0007');
      opts.onChanges?.(snapshot.changes);
    }
    if (snapshot.error === undefined) listed = true;
    yield snapshot;
  }
}
