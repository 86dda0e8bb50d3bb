/**
 * Calls `poll` every `intervalMs` ms, never two at once (a poll that takes longer than the interval
 * skips the ticks it overlaps). The interval does not keep a finished process alive.
 */
export function startPoller(poll: () => Promise<void>, intervalMs: number): { stop(): void } {
  let polling = false;
  const timer = setInterval(() => {
    if (polling) return;
    polling = true;
    poll()
      .catch((error: unknown) => console.error('timer poll failed:', error))
      .finally(() => (polling = false));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
