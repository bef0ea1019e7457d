/** CI or CONTINUOUS_INTEGRATION set to anything but "0" or "false", as ink and most CLIs read them. */
function inCi(env: NodeJS.ProcessEnv): boolean {
  const set = (key: string): boolean => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/**
 * Why a full-screen TUI cannot run here, or undefined when it can. Both ends must be a terminal,
 * and CI must be unset, as most CLIs decide: a CI job with a pseudo-terminal would wait forever
 * for keys, and ink itself draws only the last frame under CI.
 */
export function tuiUnavailable(env: NodeJS.ProcessEnv = process.env, tty = { stdin: process.stdin.isTTY, stdout: process.stdout.isTTY }): string | undefined {
  if (tty.stdin !== true || tty.stdout !== true) return 'needs a terminal';
  if (inCi(env)) return 'asks nothing where CI is set (unset CI in a terminal to use it)';
  return undefined;
}
