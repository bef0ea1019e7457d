/** A pause that ends early when the signal aborts or wake() is called. */
export function pause(ms: number, signal: AbortSignal): { done: Promise<void>; wake(): void } {
  let wake!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(() => wake(), ms);
    wake = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', wake);
      resolve();
    };
    signal.addEventListener('abort', wake, { once: true });
  });
  return { done, wake };
}
