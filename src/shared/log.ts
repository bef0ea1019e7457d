import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

import type { Redactor } from './redact.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
  close(): void;
}

export interface LoggerOptions {
  level: LogLevel;
  redactor: Redactor;
  /** Append here instead of stderr. Never stdout: in `serve` that channel is JSON-RPC only. */
  file?: string;
  stderr?: { write(chunk: string): unknown };
  now?: () => Date;
}

/** A line logger to stderr or a file; every line passes through the redactor. */
export function createLogger(opts: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(opts.level);
  const now = opts.now ?? (() => new Date());
  let fd: number | undefined;
  if (opts.file !== undefined) {
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
    fd = openSync(opts.file, 'a', 0o600);
  }
  const stderr = opts.stderr ?? process.stderr;
  const write = (level: LogLevel, message: string): void => {
    if (LOG_LEVELS.indexOf(level) > threshold) return;
    const line = `${now().toISOString()} hoop-mcp ${level.padEnd(5)} ${opts.redactor.redact(message)}\n`;
    try {
      if (fd !== undefined) writeSync(fd, line);
      else stderr.write(line);
    } catch {
      // A closed stderr or a full disk must not take the bridge down.
    }
  };
  return {
    error: (m) => write('error', m),
    warn: (m) => write('warn', m),
    info: (m) => write('info', m),
    debug: (m) => write('debug', m),
    close: () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
