import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { withLock } from './lock.js';

describe('withLock', () => {
  it('runs holders one at a time', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hoop-mcp-lock-')), 'x.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withLock(path, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 30));
        events.push(`${name}-`);
      });
    await Promise.all([holder('a'), holder('b'), holder('c')]);
    for (let i = 0; i < events.length; i += 2) expect(events[i]?.slice(0, 1)).toBe(events[i + 1]?.slice(0, 1));
  });

  it('takes over a lock left behind by a crashed process', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hoop-mcp-lock-')), 'x.lock');
    writeFileSync(path, '99999\n');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    expect(await withLock(path, async () => 'ok', 1_000)).toBe('ok');
  });
});
