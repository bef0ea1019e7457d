import { describe, expect, it } from 'vitest';

import { tuiUnavailable } from './tui.js';

const terminal = { stdin: true, stdout: true };

describe('tuiUnavailable', () => {
  it('lets the TUI run in a terminal without CI', () => {
    expect(tuiUnavailable({}, terminal)).toBeUndefined();
    expect(tuiUnavailable({ CI: 'false', CONTINUOUS_INTEGRATION: '0' }, terminal)).toBeUndefined();
  });

  it.each([{ CI: 'true' }, { CI: '' }, { CI: '1' }, { CONTINUOUS_INTEGRATION: 'yes' }])('refuses where CI is set (%j): nobody is there to answer', (env) => {
    expect(tuiUnavailable(env, terminal)).toMatch(/CI is set/);
  });

  it('needs both ends to be a terminal', () => {
    expect(tuiUnavailable({}, { stdin: true, stdout: false })).toBe('needs a terminal');
    expect(tuiUnavailable({}, { stdin: false, stdout: true })).toBe('needs a terminal');
  });
});
