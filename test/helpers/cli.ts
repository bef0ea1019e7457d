import { spawn } from 'node:child_process';

import { BIN } from './bridge-process.js';

/** Runs the built bin to completion (asynchronously, so an in-process fixture gateway keeps answering). */
export async function cliAsync(args: string[], env: Record<string, string>, input = '', cwd?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, ...env }, ...(cwd !== undefined ? { cwd } : {}) });
  child.stdin.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((r) => child.on('exit', r));
  return { status, stdout, stderr };
}
