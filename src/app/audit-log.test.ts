import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { AuditLog, GENESIS, parseAuditLines, verifyChain, type AuditEntry } from './audit-log.js';

const entry = (tool: string): AuditEntry => ({
  time: '2026-01-01T00:00:00.000Z',
  profile: 'default',
  gateway: 'https://hoop.example.com',
  client: 'claude-code',
  tool,
  argsSha256: 'a'.repeat(64),
  outcome: 'ok',
  durationMs: 12,
});

async function logWith(n: number): Promise<AuditLog> {
  const log = new AuditLog(mkdtempSync(join(tmpdir(), 'hoop-mcp-audit-')), 'default');
  for (let i = 0; i < n; i++) await log.append(entry(`tool_${i}`));
  return log;
}

describe('audit log', () => {
  it('chains each line to the one before, in a 0600 file', async () => {
    const log = await logWith(3);
    const lines = parseAuditLines(await log.text());
    expect(lines.map((l) => l.tool)).toEqual(['tool_0', 'tool_1', 'tool_2']);
    expect(lines[0]?.prev).toBe(GENESIS);
    expect(lines[1]?.prev).toBe(lines[0]?.hash);
    expect(verifyChain(await log.text())).toEqual({ ok: true, lines: 3 });
    if (process.platform !== 'win32') expect(statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it('names the first edited, removed or reordered line', async () => {
    const log = await logWith(4);
    const lines = readFileSync(log.file, 'utf8').trimEnd().split('\n');
    const edited = [...lines];
    edited[1] = edited[1]!.replace('"outcome":"ok"', '"outcome":"tool-error"');
    expect(verifyChain(edited.join('\n'))).toMatchObject({ ok: false, line: 2, problem: expect.stringMatching(/edited/) });
    expect(verifyChain([lines[0], lines[2], lines[3]].join('\n'))).toMatchObject({ ok: false, line: 2, problem: expect.stringMatching(/removed/) });
    expect(verifyChain([lines[1], lines[0]].join('\n'))).toMatchObject({ ok: false, line: 1 });
    expect(verifyChain(`${lines.join('\n')}\nnot json\n`)).toMatchObject({ ok: false, line: 5, problem: expect.stringMatching(/not an audit line/) });
    // rewriting a line's hash too is caught by the next line's link
    writeFileSync(log.file, edited.join('\n'));
    expect(verifyChain(readFileSync(log.file, 'utf8')).ok).toBe(false);
  });

  it('keeps one intact chain when several writers append at once', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hoop-mcp-audit-'));
    const writers = [new AuditLog(home, 'default'), new AuditLog(home, 'default'), new AuditLog(home, 'default')];
    await Promise.all(Array.from({ length: 30 }, (_, i) => writers[i % 3]!.append(entry(`t${i}`))));
    expect(verifyChain(await writers[0]!.text())).toEqual({ ok: true, lines: 30 });
  });
});
