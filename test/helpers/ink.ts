/**
 * Resolves once React has run the effects it already queued. ink attaches key handlers in
 * effects, which run after the frame that shows the new field (React's scheduler runs them from
 * setImmediate); a key written before that is lost. A polling timer can see the frame in the same
 * timer phase that drew it, so tests yield to setImmediate before they type.
 */
export async function afterEffects(): Promise<void> {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Writes keys to an ink app under test once its handlers are attached (see afterEffects). */
export async function pressKeys(stdin: { write(data: string): unknown }, keys: string, settleMs = 20): Promise<void> {
  await afterEffects();
  stdin.write(keys);
  await delay(settleMs);
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` holds (React and ink answer keys asynchronously), failing with the last screen. */
export async function until(check: () => boolean, screen: () => string | undefined, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out; last frame:\n${screen() ?? '(none)'}`);
    await delay(10);
  }
}
