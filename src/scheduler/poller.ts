/**
 * Calls `poll` every `intervalMs` ms, never two at once (a poll that takes longer than the interval
 * skips the ticks it overlaps). The interval does not keep a finished process alive. `stop()`
 * resolves when the poll under way (if any) has finished, so a closing host never closes the
 * database under it.
 */
export function startPoller(poll: () => Promise<void>, intervalMs: number, onError: (error: unknown) => void = (error) => console.error('timer poll failed:', error)): { stop(): Promise<void> } {
  let current: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (current) return;
    current = poll()
      .catch(onError)
      .finally(() => (current = null));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await current;
    },
  };
}
