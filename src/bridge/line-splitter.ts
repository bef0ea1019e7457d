/**
 * Splits a byte stream into newline-delimited lines (MCP's stdio framing). A line longer than
 * `maxBytes` is dropped as it streams in, never buffered whole, and reported once it ends.
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private size = 0;
  private discarded = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(10, start);
      if (newline === -1) {
        this.append(chunk.subarray(start));
        return;
      }
      this.append(chunk.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.size > 0 || this.discarded > 0) this.flush();
  }

  private append(part: Buffer): void {
    if (part.length === 0) return;
    if (this.discarded > 0 || this.size + part.length > this.maxBytes) {
      this.discarded += this.size + part.length;
      this.pieces = [];
      this.size = 0;
      return;
    }
    this.pieces.push(part);
    this.size += part.length;
  }

  private flush(): void {
    if (this.discarded > 0) {
      const bytes = this.discarded;
      this.discarded = 0;
      this.onOversize(bytes);
      return;
    }
    const buf = this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces, this.size);
    this.pieces = [];
    this.size = 0;
    const line = buf.toString('utf8');
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim() !== '') this.onLine(trimmed);
  }
}
