/**
 * `work`, run one at a time: calls while it runs are folded into one more run after it, because what
 * called may have changed after the running one started (a reload asked for during a load). Each call
 * resolves when the runs it joined are done; a run that throws ends them and rejects.
 */
export function coalesced(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await work();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
