import { useEffect, useRef, useState } from 'react';
import { Box, Text, useStdout } from 'ink';

import { Busy } from './Busy.js';

/** How long the gateway's browser login may take before the flow gives up (hoop's CLI: 3 minutes). */
export const BROWSER_TIMEOUT_MS = 3 * 60_000;

export interface BrowserStepProps {
  url: string;
  /** Whether hoop-mcp opened a browser itself. */
  opened: boolean;
  /** `Date.now()` when the login started: the countdown runs from here. */
  startedAt: number;
  timeoutMs?: number;
  /** Where the browser comes back to; hoop's own login always uses 127.0.0.1:3587. */
  callbackUrl?: string | undefined;
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * Waiting for the browser. The URL is written once above the live frame, as plain text: ink would
 * hard-wrap it at the terminal width, and a URL copied with line breaks in it (over SSH, say) is
 * broken. Written this way the terminal wraps it softly and it stays in the scrollback.
 */
export function BrowserStep({ url, opened, startedAt, timeoutMs = BROWSER_TIMEOUT_MS, callbackUrl = 'http://127.0.0.1:3587/callback' }: BrowserStepProps) {
  const { write } = useStdout();
  const written = useRef<string | undefined>(undefined);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (written.current === url) return;
    written.current = url;
    const lead = opened ? 'Opening your browser. If it does not open, use this URL:' : 'Open this URL in a browser:';
    write(`${lead}\n${url}\n\n`);
  }, [url, opened, write]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);

  const left = timeoutMs - (now - startedAt);
  const port = new URL(callbackUrl).port;
  return (
    <Box flexDirection="column">
      <Busy label={opened ? 'Opening your browser… finish logging in there.' : 'Open the URL above in a browser to log in.'} detail={`${clock(left)} left`} />
      <Box flexDirection="column" marginLeft={2}>
        <Text dimColor>Your browser comes back to {callbackUrl} when you are done.</Text>
        {opened ? null : <Text dimColor>Browser on another machine? ssh -L {port}:127.0.0.1:{port} to this host first.</Text>}
      </Box>
    </Box>
  );
}
