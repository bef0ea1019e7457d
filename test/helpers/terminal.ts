import { EventEmitter } from 'node:events';

/** The least of a terminal that ink needs: a raw-mode stdin and a stdout that keeps what it got. */
export class FakeStdin extends EventEmitter {
  isTTY: boolean;
  rawMode = false;
  private pending: string | null = null;
  constructor(isTTY = true) {
    super();
    this.isTTY = isTTY;
  }
  setRawMode(on: boolean): this {
    this.rawMode = on;
    return this;
  }
  setEncoding(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  read(): string | null {
    const data = this.pending;
    this.pending = null;
    return data;
  }
  press(data: string): void {
    this.pending = data;
    this.emit('readable');
  }
}

export class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** A fake terminal, and the same streams typed as the process's, for render functions. */
export function fakeTerminal(isTTY = true): { stdin: FakeStdin; stdout: FakeStdout; opts: { stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream } } {
  const stdin = new FakeStdin(isTTY);
  const stdout = new FakeStdout();
  return { stdin, stdout, opts: { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream } };
}
