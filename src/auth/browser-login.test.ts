import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { openBrowser } from './browser-login.js';

afterEach(() => vi.unstubAllEnvs());

describe.runIf(process.platform === 'linux')('openBrowser', () => {
  const URL = 'https://hoop.example.com/sessions/s1';

  it('says false without a display, and when no xdg-open is installed', async () => {
    vi.stubEnv('DISPLAY', '');
    vi.stubEnv('WAYLAND_DISPLAY', '');
    expect(await openBrowser(URL)).toBe(false);
    vi.stubEnv('DISPLAY', ':0');
    vi.stubEnv('PATH', mkdtempSync(join(tmpdir(), 'hoop-mcp-empty-')));
    expect(await openBrowser(URL)).toBe(false);
  });

  it('says true once xdg-open has started with the URL', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'hoop-mcp-bin-'));
    const seen = join(bin, 'seen');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    vi.stubEnv('DISPLAY', ':0');
    vi.stubEnv('PATH', `${bin}:${process.env.PATH ?? ''}`);
    expect(await openBrowser(URL)).toBe(true);
    await expect.poll(() => readFileSync(seen, 'utf8'), { timeout: 5_000 }).toBe(URL);
  });
});
