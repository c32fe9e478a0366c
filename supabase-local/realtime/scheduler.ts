/**
 * Time as the realtime server sees it: a clock and one-shot timers, injected so protocol
 * tests drive heartbeats and token expiry by hand instead of waiting.
 */
export interface Scheduler {
  now(): number;
  /** Runs `run` after `delayMs`; returns a function that cancels it. */
  schedule(delayMs: number, run: () => void): () => void;
}

// setTimeout's ceiling (a signed 32-bit count of ms); longer delays are re-armed.
const MAX_TIMER_MS = 2_147_483_647;

export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(delayMs, run) {
    let timer: NodeJS.Timeout;
    const arm = (remaining: number) => {
      timer = setTimeout(() => (remaining > MAX_TIMER_MS ? arm(remaining - MAX_TIMER_MS) : run()), Math.min(remaining, MAX_TIMER_MS));
      timer.unref();
    };
    arm(Math.max(0, delayMs));
    return () => clearTimeout(timer);
  },
};
