/**
 * Loads a TUI module for a person at a terminal. Ink decides once, when it is
 * first imported, whether it runs "in CI" (CI or CONTINUOUS_INTEGRATION set)
 * and then draws only the last frame at exit: a login would show a blank
 * screen. Callers have checked for a TTY, so a human is there whatever CI says;
 * hide those variables while ink loads and put them back straight after.
 */
export async function importTui<T>(load: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string>();
  for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
    const value = process.env[key];
    if (value === undefined) continue;
    saved.set(key, value);
    delete process.env[key];
  }
  try {
    return await load();
  } finally {
    for (const [key, value] of saved) process.env[key] = value;
  }
}
