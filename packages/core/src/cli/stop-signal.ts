/** Ends waits early when the operator presses Ctrl-C, so --watch and tail stop cleanly. */
export function stopSignal() {
  let stopped = false;
  let wake: (() => void) | undefined;
  const onSignal = () => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', onSignal);
  return {
    get stopped() {
      return stopped;
    },
    /** Sleeps `ms`; true when interrupted. */
    wait(ms: number): Promise<boolean> {
      if (stopped) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(stopped), ms);
        wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
      });
    },
    dispose() {
      process.removeListener('SIGINT', onSignal);
    },
  };
}
