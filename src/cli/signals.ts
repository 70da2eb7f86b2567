/** Resolves on the first SIGINT or SIGTERM: how `serve` and `demo` wait to stop. */
export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
