/** One page of the console: it draws into `main` and returns what stops its timers and charts. */
export interface Page {
  path: string;
  title: string;
  render(main: HTMLElement): () => void;
}

/** Runs `task` now and every `intervalMs` while the page is shown; returns the stop. */
export function every(intervalMs: number, task: () => Promise<void> | void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    try {
      await task();
    } finally {
      if (!stopped) timer = setTimeout(run, intervalMs);
    }
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
