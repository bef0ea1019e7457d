import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Text, useApp, useInput, useStdout } from 'ink';

import { errorMessage } from '../shared/errors.js';
import { ageOf, describeType, preview, type DecideOutcome, type ReviewItem, type ReviewsSnapshot, type Verdict } from '../shared/review.js';
import { Footer, type KeyHint } from './Footer.js';
import { ReviewDetails } from './ReviewDetails.js';
import { TextPrompt } from './TextPrompt.js';

export interface ApprovalsAppProps {
  /** One snapshot per poll; the app renders the latest. Throwing ends the watch with the message shown. */
  reviews: AsyncIterable<ReviewsSnapshot>;
  onDecide(id: string, verdict: Verdict, reason?: string): Promise<DecideOutcome>;
  /** Opens the review in a browser; resolves false where none could be opened, and the URL is shown instead. */
  onOpen(url: string): Promise<boolean>;
  /** What is being watched, for the title: the gateway and the filters. */
  title: string;
  /** Called when the user quits; the app exits right after. */
  onQuit?(): void;
  now?: () => Date;
}

type Mode = 'list' | 'reason' | 'filter';
type Tone = 'info' | 'ok' | 'error';

const STATUS_COLOR: Record<string, string> = {
  PENDING: 'yellow',
  APPROVED: 'green',
  REJECTED: 'red',
  REVOKED: 'magenta',
  PROCESSING: 'cyan',
  EXECUTED: 'blue',
};

const DONE_VERB: Record<Verdict, string> = { APPROVED: 'Approved', REJECTED: 'Rejected', REVOKED: 'Revoked' };
const DOING_VERB: Record<Verdict, string> = { APPROVED: 'Approving', REJECTED: 'Rejecting', REVOKED: 'Revoking' };

const LIST_KEYS: KeyHint[] = [
  { key: '↑↓/jk', label: 'move' },
  { key: 'enter', label: 'details' },
  { key: 'a', label: 'approve' },
  { key: 'r', label: 'reject' },
  { key: 'v', label: 'revoke' },
  { key: 'o', label: 'open' },
  { key: '/', label: 'filter' },
  { key: 'q', label: 'quit' },
];
const PROMPT_KEYS: KeyHint[] = [
  { key: 'enter', label: 'confirm' },
  { key: 'esc', label: 'cancel' },
];

function matchesText(r: ReviewItem, text: string): boolean {
  const needle = text.toLowerCase();
  return [r.id, r.status, r.type, r.connection, r.requester, r.command].some((v) => v?.toLowerCase().includes(needle) === true);
}

/**
 * The live approvals list: pending first, one row per review, a details pane, and the decisions
 * the user's role allows. Network work happens behind `reviews` and `onDecide`; a refusal is a
 * message on screen, never a crash.
 */
export function ApprovalsApp({ reviews, onDecide, onOpen, title, onQuit, now = () => new Date() }: ApprovalsAppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [snapshot, setSnapshot] = useState<ReviewsSnapshot | undefined>();
  const [fatal, setFatal] = useState<string | undefined>();
  const [selectedId, setSelectedId] = useState<string | undefined>();
  const [details, setDetails] = useState(false);
  const [mode, setMode] = useState<Mode>('list');
  const [filter, setFilter] = useState('');
  const [message, setMessage] = useState<{ tone: Tone; text: string } | undefined>();
  const [clock, setClock] = useState(now);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      try {
        for await (const s of reviews) {
          if (stopped) break;
          setSnapshot(s);
        }
      } catch (err) {
        if (!stopped) setFatal(errorMessage(err));
      }
    })();
    return () => {
      stopped = true;
    };
  }, [reviews]);

  // Ages move by the minute; a slow tick keeps them right without redrawing more than needed.
  useEffect(() => {
    const timer = setInterval(() => setClock(now()), 30_000);
    return () => clearInterval(timer);
  }, [now]);

  const visible = useMemo(() => (snapshot?.reviews ?? []).filter((r) => filter === '' || matchesText(r, filter)), [snapshot, filter]);
  const index = Math.max(0, visible.findIndex((r) => r.id === selectedId));
  const selected = visible[index];
  // Keys read the view as last drawn: ink may deliver a key before the effect that renews the handler.
  const view = useRef({ visible, index, selected, details, filter, mode, fatal });
  view.current = { visible, index, selected, details, filter, mode, fatal };

  const quit = (): void => {
    onQuit?.();
    exit();
  };

  const decide = (review: ReviewItem, verdict: Verdict, reason?: string): void => {
    setMessage({ tone: 'info', text: `${DOING_VERB[verdict]} ${review.id}…` });
    onDecide(review.id, verdict, reason).then(
      (outcome) =>
        setMessage(
          outcome.ok ? { tone: 'ok', text: `${DONE_VERB[verdict]} ${review.id}` } : { tone: 'error', text: `Could not ${verdict === 'APPROVED' ? 'approve' : verdict === 'REJECTED' ? 'reject' : 'revoke'} ${review.id}: ${outcome.message}` },
        ),
      (err: unknown) => setMessage({ tone: 'error', text: errorMessage(err) }),
    );
  };

  // One handler, always listening, so no key is lost while a mode switch waits for ink to re-attach one.
  useInput((input, key) => {
    const { visible, index, selected, details, filter, mode, fatal } = view.current;
    if (fatal !== undefined) {
      if (input === 'q' || key.escape || key.return || (key.ctrl && input === 'c')) quit();
      return;
    }
    // The prompts' own field reads the text; only leaving them is handled here.
    if (mode !== 'list') {
      if (key.escape || (key.ctrl && input === 'c')) setMode('list');
      return;
    }
    if (input === 'q' || (key.ctrl && input === 'c')) return quit();
    if (key.escape) {
      if (details) setDetails(false);
      else if (filter !== '') setFilter('');
      else quit();
      return;
    }
    const move = (to: number): void => {
      const next = visible[Math.min(visible.length - 1, Math.max(0, to))];
      if (next !== undefined) setSelectedId(next.id);
    };
    if (key.upArrow || input === 'k') return move(index - 1);
    if (key.downArrow || input === 'j') return move(index + 1);
    if (input === '/') return setMode('filter');
    if (selected === undefined) return;
    if (key.return) return setDetails((d) => !d);
    if (input === 'o') {
      const { url } = selected;
      const show = (opened: boolean): void => setMessage({ tone: 'info', text: opened ? `Opened ${url}` : `Open this URL: ${url}` });
      onOpen(url).then(show, () => show(false));
      return;
    }
    if (input === 'a' || input === 'r') {
      if (selected.status !== 'PENDING') return setMessage({ tone: 'error', text: `${selected.id} is ${selected.status}: only pending reviews can be ${input === 'a' ? 'approved' : 'rejected'}` });
      if (input === 'a') return decide(selected, 'APPROVED');
      return setMode('reason');
    }
    if (input === 'v') {
      if (selected.type !== 'jit' || selected.status !== 'APPROVED') return setMessage({ tone: 'error', text: 'only approved JIT access can be revoked' });
      return decide(selected, 'REVOKED');
    }
  });

  const width = Math.max(60, stdout.columns ?? 100);
  const pending = (snapshot?.reviews ?? []).filter((r) => r.status === 'PENDING').length;
  const room = Math.max(3, (stdout.rows ?? 24) - (details ? 24 : 9));
  const first = Math.min(Math.max(0, index - Math.floor(room / 2)), Math.max(0, visible.length - room));
  const rows = visible.slice(first, first + room);
  const commandWidth = width - 2 - 11 - 17 - 23 - 11 - 5;

  return (
    <Box flexDirection="column">
      <Text>
        <Text bold>Hoop approvals</Text>
        <Text dimColor> · {title}</Text>
      </Text>
      {snapshot === undefined && fatal === undefined ? <Text dimColor>Loading reviews…</Text> : null}
      {snapshot !== undefined ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>
            {'  '}
            {'STATUS'.padEnd(11)}
            {'CONNECTION'.padEnd(17)}
            {'REQUESTER'.padEnd(23)}
            {'TYPE'.padEnd(11)}
            {'AGE'.padEnd(5)}
            COMMAND
          </Text>
          {rows.length === 0 ? <Text dimColor>  {filter !== '' ? `no review matches "${filter}"` : 'no reviews'}</Text> : null}
          {rows.map((r) => {
            const isSelected = r.id === selected?.id;
            return (
              <Text key={r.id} inverse={isSelected}>
                {isSelected ? '▸ ' : '  '}
                <Text color={STATUS_COLOR[r.status] ?? 'gray'}>{r.status.padEnd(11)}</Text>
                {preview(r.connection ?? '…', 16).padEnd(17)}
                {preview(r.requester ?? '…', 22).padEnd(23)}
                {describeType(r).padEnd(11)}
                {ageOf(r.createdAt, clock).padEnd(5)}
                {preview(r.command ?? '', commandWidth)}
              </Text>
            );
          })}
          {visible.length > rows.length ? <Text dimColor>  {first + 1}–{first + rows.length} of {visible.length}</Text> : null}
        </Box>
      ) : null}
      {details && selected !== undefined ? <ReviewDetails review={selected} now={clock} /> : null}
      {message !== undefined ? <Text color={message.tone === 'error' ? 'red' : message.tone === 'ok' ? 'green' : undefined}>{message.tone === 'error' ? '✗' : message.tone === 'ok' ? '✓' : '·'} {message.text}</Text> : null}
      {mode === 'reason' && selected !== undefined ? (
        <TextPrompt
          label={`Reason for rejecting ${selected.id}`}
          placeholder="optional"
          onSubmit={(reason) => {
            setMode('list');
            decide(selected, 'REJECTED', reason.trim());
          }}
        />
      ) : null}
      {mode === 'filter' ? (
        <TextPrompt
          label="Filter"
          initialValue={filter}
          placeholder="connection, requester, command, status"
          onSubmit={(text) => {
            setMode('list');
            setFilter(text.trim());
          }}
        />
      ) : null}
      {fatal !== undefined ? <Text color="red">✗ {fatal}</Text> : null}
      {snapshot?.error !== undefined ? <Text color="yellow">! {snapshot.error}; retrying</Text> : null}
      {snapshot !== undefined ? (
        <Text dimColor>
          {pending} pending · {visible.length} shown{filter !== '' ? ` · filter "${filter}"` : ''}
        </Text>
      ) : null}
      <Footer hints={fatal !== undefined ? [{ key: 'q', label: 'quit' }] : mode === 'list' ? LIST_KEYS : PROMPT_KEYS} />
    </Box>
  );
}
