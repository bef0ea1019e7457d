import { appendFile, chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { withLock } from '../auth/lock.js';
import { canonicalJson, sha256Hex } from '../shared/canonical.js';

export const AUDIT_OUTCOMES = ['ok', 'tool-error', 'protocol-error', 'cancelled'] as const;
const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);
export const GENESIS = '0'.repeat(64);

export const AuditLineSchema = z.strictObject({
  v: z.literal(1),
  time: z.string(),
  profile: z.string(),
  gateway: z.string(),
  client: z.string(),
  tool: z.string(),
  /** sha256 of the canonical JSON of the arguments: proves which arguments were sent, never shows them. */
  argsSha256: HEX64,
  outcome: z.enum(AUDIT_OUTCOMES),
  durationMs: z.number().int().nonnegative(),
  reviewId: z.string().optional(),
  /** The previous line's hash (GENESIS for the first): each line vouches for all before it. */
  prev: HEX64,
  hash: HEX64,
});
export type AuditLine = z.infer<typeof AuditLineSchema>;
export type AuditEntry = Omit<AuditLine, 'v' | 'prev' | 'hash'>;

export type VerifyResult = { ok: true; lines: number } | { ok: false; lines: number; line: number; problem: string };

export function auditFile(home: string, profile: string): string {
  return join(home, 'audit', `${profile}.jsonl`);
}

function lineHash(line: Omit<AuditLine, 'hash'>): string {
  return sha256Hex(canonicalJson(line));
}

/**
 * The developer-side record of what an agent did through this profile: one hash-chained JSON
 * line per tool call, appended under a lock so several bridges can share the file. The gateway's
 * own audit log stays the record of truth.
 */
export class AuditLog {
  readonly file: string;
  private queue: Array<{ entry: AuditEntry; resolve: (line: AuditLine) => void; reject: (err: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;
  private ready = false;
  /** The file's size and last hash right after this process's last append. */
  private tail: { size: number; hash: string } | undefined;

  constructor(home: string, profile: string) {
    this.file = auditFile(home, profile);
  }

  /**
   * Queues one line. Lines that arrive while a write is under way go out together in the next
   * one, so a busy agent pays for one lock and one append per batch, not per call.
   */
  append(entry: AuditEntry): Promise<AuditLine> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      this.flushing ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      try {
        const lines = await this.write(batch.map((b) => b.entry));
        batch.forEach((b, i) => b.resolve(lines[i] as AuditLine));
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = undefined;
  }

  private async write(entries: AuditEntry[]): Promise<AuditLine[]> {
    if (!this.ready) {
      await mkdir(join(this.file, '..'), { recursive: true, mode: 0o700 });
      this.ready = true;
    }
    return withLock(`${this.file}.lock`, async () => {
      // When the file is exactly as this process left it, its last hash is the one we wrote.
      const size = await stat(this.file).then((st) => st.size, () => 0);
      let prev = this.tail !== undefined && this.tail.size === size ? this.tail.hash : await this.lastHash();
      const lines = entries.map((entry) => {
        const body: Omit<AuditLine, 'hash'> = { v: 1, ...entry, prev };
        const line: AuditLine = { ...body, hash: lineHash(body) };
        prev = line.hash;
        return line;
      });
      const text = lines.map((l) => `${JSON.stringify(l)}\n`).join('');
      await appendFile(this.file, text, { mode: 0o600 });
      // appendFile's mode only applies when it creates the file
      if (size > 0 && this.tail === undefined) await chmod(this.file, 0o600).catch(() => undefined);
      this.tail = { size: size + Buffer.byteLength(text), hash: prev };
      return lines;
    });
  }

  async text(): Promise<string> {
    return readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
  }

  /** The hash to chain to: the last line's, read from the file's tail. */
  private async lastHash(): Promise<string> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return GENESIS;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, 64 * 1024);
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, size - length);
      const last = buf.toString('utf8').trimEnd().split('\n').pop() ?? '';
      if (last === '') return GENESIS;
      // A damaged last line still gets chained to (by its text), and verify will name it.
      const parsed = AuditLineSchema.safeParse(safeJson(last));
      return parsed.success ? parsed.data.hash : sha256Hex(last);
    } finally {
      await handle.close();
    }
  }
}

/** Checks every line's shape, hash and link to the one before; names the first broken line (1-based). */
export function verifyChain(text: string): VerifyResult {
  const lines = text.split('\n').filter((l) => l !== '');
  let prev = GENESIS;
  for (const [i, raw] of lines.entries()) {
    const fail = (problem: string): VerifyResult => ({ ok: false, lines: lines.length, line: i + 1, problem });
    const parsed = AuditLineSchema.safeParse(safeJson(raw));
    if (!parsed.success) return fail(`not an audit line (${parsed.error.issues[0]?.message ?? 'bad shape'})`);
    const { hash, ...body } = parsed.data;
    if (body.prev !== prev) return fail('does not follow the line before it (a line was removed, inserted or reordered)');
    if (lineHash(body) !== hash) return fail('its content does not match its hash (the line was edited)');
    prev = hash;
  }
  return { ok: true, lines: lines.length };
}

export function parseAuditLines(text: string): AuditLine[] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .flatMap((l) => {
      const parsed = AuditLineSchema.safeParse(safeJson(l));
      return parsed.success ? [parsed.data] : [];
    });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
