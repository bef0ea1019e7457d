import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';

/** Where hoop's gateway sends the browser back to (proto.ClientLoginCallbackAddress); it cannot be chosen. */
export const CALLBACK_HOST = '127.0.0.1';
export const DEFAULT_CALLBACK_PORT = 3587;
const LOGIN_TIMEOUT_MS = 3 * 60_000;

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;margin:4em auto;max-width:32em"><h1>${title}</h1><p>${text}</p></body>`;

export interface CallbackServer {
  /** Resolves with the token from `/callback?token=…` (or what `read` takes), rejects on `?error=…`, timeout or close. */
  token: Promise<string>;
  /** The port listened on (the OS picks one when asked for 0). */
  port: number;
  close(): void;
}

/** Takes the value out of the callback's query: hoop's `?token=` by default, an OAuth `?code=` for MCP OAuth. */
export type CallbackReader = (params: URLSearchParams) => { value: string } | { error: string };

const readHoopToken: CallbackReader = (params) => {
  const value = params.get('token');
  const error = params.get('error');
  return error === null && value !== null && value !== '' ? { value } : { error: error ?? 'no token' };
};

export interface CallbackOptions {
  timeoutMs?: number;
  read?: CallbackReader;
  /** What to do when the port is taken, said after "port … is busy: ". */
  busyHint?: string;
}

/**
 * Listens on 127.0.0.1:3587 (hoop's login) or the MCP OAuth port (OS-assigned, or --callback-port) for the redirect. Started before the
 * browser opens, so a busy port is reported before anyone signs in for nothing.
 */
export async function listenForCallback(port = DEFAULT_CALLBACK_PORT, opts: CallbackOptions = {}): Promise<CallbackServer> {
  const { timeoutMs = LOGIN_TIMEOUT_MS, read = readHoopToken, busyHint = 'another login (hoop login or hoop-mcp login) may be running; finish or stop it, then retry' } = opts;
  let settle: { resolve: (t: string) => void; reject: (e: Error) => void } | undefined;
  const token = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  token.catch(() => undefined);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${CALLBACK_HOST}`);
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const got = read(url.searchParams);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    if ('error' in got) {
      res.end(PAGE('Login failed', 'The gateway reported an error. Return to your terminal for details.'));
      settle?.reject(new Error(`the gateway reported a failed sign-in (${got.error}); try again, or ask your Hoop admin`));
    } else {
      res.end(PAGE('Logged in to Hoop', 'hoop-mcp has your login. You can close this tab.'));
      settle?.resolve(got.value);
    }
    setImmediate(close);
  });
  const timer = setTimeout(() => settle?.reject(new Error('no answer from the browser within 3 minutes; run the login again')), timeoutMs);
  const close = (): void => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
    settle?.reject(new Error('login cancelled'));
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // the pending timeout would hold the process open for minutes after the error is shown
      clearTimeout(timer);
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${CALLBACK_HOST}:${port} is busy: ${busyHint}`) : err);
    });
    server.listen(port, CALLBACK_HOST, () => resolve());
  });
  const address = server.address();
  return { token, port: typeof address === 'object' && address !== null ? address.port : port, close };
}

/** Opens the URL in the default browser; false when there is no way to (then the URL is shown). */
export function openBrowser(url: string): Promise<boolean> {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  if (process.platform === 'linux' && (process.env.DISPLAY ?? '') === '' && (process.env.WAYLAND_DISPLAY ?? '') === '') return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
      // A missing opener (no xdg-open) fails only after spawn returns: wait for one or the other.
      child.on('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
