import { describe, expect, it } from 'vitest';

import { clockCheck, nodeCheck, serveCheck } from './doctor.js';

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

  it('serve: a stray line on stdout fails the check', async () => {
    expect(await serveCheck(node('process.stdout.write("starting up\\n"); setTimeout(() => {}, 5000)'))).toMatchObject({ status: 'fail', detail: expect.stringContaining('"starting up"') });
  });

  it('serve: no answer in time, or an early exit, fails with the last stderr line', async () => {
    expect(await serveCheck(node('setTimeout(() => {}, 5000)', 300))).toMatchObject({ status: 'fail', detail: expect.stringMatching(/no answer .* within 0\.3 s/) });
    expect(await serveCheck(node('console.error("boom"); process.exit(3)'))).toMatchObject({ status: 'fail', detail: 'exited (code 3) before answering: boom' });
  });
});
