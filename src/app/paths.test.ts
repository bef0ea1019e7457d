import { homedir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { hoopMcpHome } from './paths.js';

describe('hoopMcpHome', () => {
  it.each([
    ['HOOP_MCP_HOME wins on any platform', { HOOP_MCP_HOME: '/tmp/h', XDG_CONFIG_HOME: '/x', APPDATA: 'C:/A' }, 'win32', '/tmp/h'],
    ['win32: %APPDATA%', { APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', join('C:/Users/u/AppData/Roaming', 'hoop-mcp')],
    ['win32 without APPDATA: the roaming folder under home', {}, 'win32', join(homedir(), 'AppData', 'Roaming', 'hoop-mcp')],
    ['darwin: Application Support, whatever XDG says', { XDG_CONFIG_HOME: '/x' }, 'darwin', join(homedir(), 'Library', 'Application Support', 'hoop-mcp')],
    ['linux: $XDG_CONFIG_HOME', { XDG_CONFIG_HOME: '/x' }, 'linux', join('/x', 'hoop-mcp')],
    ['linux without XDG_CONFIG_HOME: ~/.config', {}, 'linux', join(homedir(), '.config', 'hoop-mcp')],
    // an empty variable counts as unset, as a shell's `VAR=` would mean
    ['linux with empty variables', { HOOP_MCP_HOME: '', XDG_CONFIG_HOME: '' }, 'linux', join(homedir(), '.config', 'hoop-mcp')],
  ] as const)('%s', (_what, env, platform, expected) => {
    expect(hoopMcpHome(env, platform)).toBe(expected);
  });
});
