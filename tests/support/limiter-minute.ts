// The failed-authentication limiter and the leak-report limiter count per clock minute in
// the app's process, whose clock a test cannot inject. A test that must stay inside one
// window starts where what it does fits in what is left of the current minute.

/** Waits, if need be, until `seconds` fit in the current clock minute (the limiters' window). */
export async function fitInMinute(seconds: number): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 60_000 - seconds * 1000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}
