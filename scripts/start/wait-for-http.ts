/** Polls a URL until it answers (any status below 500) or the deadline passes. */
const POLL_INTERVAL_MS = 100;

export async function waitForHttp(url: string, timeoutMs: number, abort: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let aborted = false;
  void abort.then(() => (aborted = true));
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (aborted) throw new Error('stopped while waiting');
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(5_000) });
      await response.body?.cancel();
      if (response.status < 500) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, POLL_INTERVAL_MS));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${lastError})`);
}
