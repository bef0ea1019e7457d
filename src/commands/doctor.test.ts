import { describe, expect, it } from 'vitest';

import { KeychainUnavailableError } from '../auth/keychain-store.js';
import { clockCheck, keychainCheck, nodeCheck, serveCheck } from './doctor.js';

const node = (script: string, timeoutMs = 5_000) => ({ serve: { command: process.execPath, args: ['-e', script], timeoutMs }, env: process.env });

describe('doctor checks', () => {
  it('node: 20.18 and newer pass', () => {
    expect(nodeCheck('20.18.0').status).toBe('ok');
    expect(nodeCheck('22.1.0').status).toBe('ok');
    expect(nodeCheck('20.17.9')).toMatchObject({ status: 'fail', fix: 'install Node.js 20.18 or newer' });
  });

  it('clock: warns above five minutes of skew, either way', () => {
    const now = new Date('2026-01-01T12:00:00Z');
    expect(clockCheck({ date: new Date('2026-01-01T11:58:00Z') }, now)).toMatchObject({ status: 'ok', detail: '120 s ahead of the gateway' });
    expect(clockCheck({ date: new Date('2026-01-01T12:06:00Z') }, now)).toMatchObject({ status: 'warn', detail: '360 s behind the gateway' });
    expect(clockCheck({}, now).status).toBe('warn');
  });

  it('keychain: names the backend; unreachable warns with the platform\'s fix, and the file store as the way out', async () => {
    const reachable = { probe: async () => undefined };
    const down = { probe: () => Promise.reject(new KeychainUnavailableError('the OS keychain failed (locked)')) };
    expect(await keychainCheck(reachable, 'darwin')).toEqual({ name: 'keychain', status: 'ok', detail: 'macOS Keychain reachable' });
    expect(await keychainCheck(reachable, 'win32')).toMatchObject({ detail: 'Windows Credential Manager reachable' });
    expect(await keychainCheck(down, 'darwin')).toMatchObject({ status: 'warn', detail: 'macOS Keychain: the OS keychain failed (locked)', fix: expect.stringMatching(/^unlock the login keychain .*--credential-store file$/) });
    expect(await keychainCheck(down, 'linux')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/^install gnome-keyring/) });
    const noModule = { probe: () => Promise.reject(new KeychainUnavailableError('the keychain module could not be loaded (x); reinstall hoop-mcp', 'module')) };
    expect(await keychainCheck(noModule, 'linux')).toMatchObject({ status: 'warn', fix: 'meanwhile, keep the token in a 0600 file: npx hoop-mcp login --credential-store file' });
  });

  it('serve: a stray line on stdout fails the check', async () => {
    expect(await serveCheck(node('process.stdout.write("starting up\\n"); setTimeout(() => {}, 5000)'))).toMatchObject({ status: 'fail', detail: expect.stringContaining('"starting up"') });
  });

  it('serve: no answer in time, or an early exit, fails with the last stderr line', async () => {
    expect(await serveCheck(node('setTimeout(() => {}, 5000)', 300))).toMatchObject({ status: 'fail', detail: expect.stringMatching(/no answer .* within 0\.3 s/) });
    expect(await serveCheck(node('console.error("boom"); process.exit(3)'))).toMatchObject({ status: 'fail', detail: 'exited (code 3) before answering: boom' });
  });
});
