/**
 * The clocks tests own (DESIGN: a test never depends on today's date). CI runs the unit suite with the system clock
 * moved years away to prove that nothing here reads it.
 */

/** A fixed instant the unit tests call "now": tickets, authenticators and errors of scripted KDCs are built around it. */
export const TEST_NOW = Date.parse('2026-06-15T12:00:00Z');

/** A clock that stays at `at` (ms) until the test moves it with `set` or `advance`. */
export function testClock(at: number = TEST_NOW): {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
} {
  let now = at;
  const clock = () => now;
  clock.set = (ms: number) => {
    now = ms;
  };
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}
