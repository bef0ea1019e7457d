import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { TextField } from './TextField.js';
import { delay, pressKeys } from '../../test/helpers/ink.js';


afterEach(() => cleanup());

async function field(props: { initialValue?: string; mask?: boolean }) {
  const onSubmit = vi.fn<(value: string) => void>();
  const app = render(<TextField {...props} onSubmit={onSubmit} />);
  await delay(20);
  return {
    onSubmit,
    frame: () => app.lastFrame() ?? '',
    async press(...keys: string[]) {
      for (const k of keys) await pressKeys(app.stdin, k);
    },
  };
}

describe('TextField', () => {
  it('edits at the cursor: arrows, backspace, Ctrl+A/E/U', async () => {
    const f = await field({ initialValue: 'https://hoop.example.com' });
    await f.press('\u0001', '\u001B[C'.repeat(1), 'x'); // home, right, insert
    await f.press('\u0005', '\u007F', '\u007F', '\u007F', 'org'); // end, 3× backspace
    await f.press('\r');
    expect(f.onSubmit).toHaveBeenLastCalledWith('hxttps://hoop.example.org');
    await f.press('\u0005', '\u0015', 'a', '\r'); // end, Ctrl+U clears, type
    expect(f.onSubmit).toHaveBeenLastCalledWith('a');
  });

  it('takes a paste whole, and leaves Ctrl chords, Tab and Esc alone', async () => {
    const f = await field({});
    await f.press('hpk_', '\u000B', '\t', '\u001B', 'abc\u0007def', '\r');
    expect(f.onSubmit).toHaveBeenLastCalledWith('hpk_abcdef');
  });

  it('submits when text and Enter arrive in one chunk, as a paste or tmux send-keys does', async () => {
    const f = await field({});
    await f.press('admin@example.com\r');
    expect(f.onSubmit).toHaveBeenLastCalledWith('admin@example.com');
  });

  it('masks the value', async () => {
    const f = await field({ mask: true });
    await f.press('secret');
    expect(f.frame()).toContain('••••••');
    expect(f.frame()).not.toContain('secret');
  });
});
