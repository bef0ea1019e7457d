import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { VERSION } from '../../src/shared/version.js';
import { tempHome } from '../helpers/bridge-process.js';
import { cliAsync } from '../helpers/cli.js';

describe('install from the shell', () => {
  it('writes the user config under $HOME with the package\'s own version; refuses a broken file with exit 2', async () => {
    const home = tempHome();
    const env = { HOME: home, HOOP_TOKEN: 'never-written' };
    const ok = await cliAsync(['install', 'cursor', '--scope', 'user', '--profile', 'prod'], env);
    expect(ok.status).toBe(0);
    const written = readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8');
    expect(JSON.parse(written)).toEqual({ mcpServers: { 'hoop-prod': { command: 'npx', args: ['-y', `hoop-mcp@${VERSION}`, '--profile', 'prod'] } } });
    expect(written).not.toContain('never-written');

    const project = tempHome();
    mkdirSync(join(project, '.vscode'));
    writeFileSync(join(project, '.vscode', 'mcp.json'), '{"servers": {');
    const bad = await cliAsync(['install', 'vscode'], env, '', project);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^hoop-mcp: .*\.vscode\/mcp\.json is not valid JSON .*nothing was written\n$/);
    expect((await cliAsync(['install', 'claude-desktop', '--scope', 'project'], env)).status).toBe(2);
  });
});
