/** A delay that ends early, rejecting with the signal's reason, when the signal aborts. */
export function sleep(millis: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, millis),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
