/**
 * Runs `task` one at a time; calls that arrive while it runs make it run once more afterwards,
 * however many they are. So a burst of requests (fifty acknowledged offsets, fifty closed groups)
 * costs one or two runs, each doing whatever has piled up by then.
 */
export interface Coalescing {
  /** Runs the task now, or once more after the run in progress; resolves after that run. */
  request(): Promise<void>;
  /** Resolves once no run is in progress. */
  settled(): Promise<void>;
}

export function coalescing(task: () => Promise<void>): Coalescing {
  let running: Promise<void> | undefined;
  let again = false;
  const loop = async () => {
    try {
      do {
        again = false;
        await task();
      } while (again);
    } finally {
      // In the same turn as the last look at `again`: no request can fall between the two.
      running = undefined;
    }
  };
  return {
    request() {
      if (running) {
        again = true;
        return running;
      }
      running = loop();
      return running;
    },
    async settled() {
      while (running) await running.catch(() => {});
    },
  };
}
