import { spawn } from 'node:child_process';

/**
 * A desktop notification, best effort (`--notify`): notify-send on Linux, osascript on macOS.
 * When the tool is missing the spawn fails quietly; nothing here may disturb the watcher.
 */
export function desktopNotify(title: string, body: string, platform: NodeJS.Platform = process.platform): void {
  const command: [string, string[]] | undefined =
    platform === 'darwin'
      ? ['osascript', ['-e', `display notification ${appleString(body)} with title ${appleString(title)}`]]
      : platform === 'linux' || platform === 'freebsd' || platform === 'openbsd'
        ? ['notify-send', ['--app-name=hoop-mcp', title, body]]
        : undefined;
  if (command === undefined) return;
  try {
    const child = spawn(command[0], command[1], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // not installed, or no desktop session: skipped
  }
}

/** An AppleScript string literal: quotes and backslashes escaped, so a command preview cannot break out. */
function appleString(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
