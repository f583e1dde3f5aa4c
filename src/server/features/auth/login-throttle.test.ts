import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  const limit = (key: string) => (key.startsWith('ip:') ? 100 : 10);

  it('counts an attempt when it starts: the eleventh in flight for an email is refused; a success takes its attempt back', () => {
    const throttle = new LoginThrottle(new ManualClock(), limit);
    const inFlight = Array.from({ length: 10 }, () => throttle.reserve(['email:v', 'ip:1']));
    expect(inFlight.map((a) => a.retryAfter)).toEqual(Array(10).fill(0));
    expect(throttle.reserve(['email:v', 'ip:1']).retryAfter).toBe(15 * 60);
    inFlight[0]!.release();
    expect(throttle.reserve(['email:v', 'ip:1']).retryAfter).toBe(0);
  });

  it('a success forgives the failed attempts, not the guesses still being checked', () => {
    const throttle = new LoginThrottle(new ManualClock(), limit);
    for (let i = 0; i < 4; i++) throttle.reserve(['email:v']).fail(); // the owner mistyped four times
    const guesses = Array.from({ length: 5 }, () => throttle.reserve(['email:v'])); // an attacker's, in flight
    const owner = throttle.reserve(['email:v']); // the tenth: allowed
    expect(owner.retryAfter).toBe(0);
    owner.release();
    throttle.recordSuccess('email:v'); // forgives the four typos
    for (const guess of guesses) guess.fail();
    // The five guesses in flight at the success still count: five more attempts are allowed, not ten.
    expect(Array.from({ length: 6 }, () => throttle.reserve(['email:v']).retryAfter)).toEqual([0, 0, 0, 0, 0, 15 * 60]);
  });

  it('a spray of other addresses past the key cap does not reset the count of one being guessed at', () => {
    const clock = new ManualClock();
    const throttle = new LoginThrottle(clock, limit, 15 * 60_000, 100);
    for (let i = 0; i < 10; i++) throttle.reserve(['email:victim']);
    for (let i = 0; i < 1_000; i++) throttle.reserve([`email:spray-${i}`]);
    expect(throttle.reserve(['email:victim']).retryAfter).toBeGreaterThan(0);
    // Expired keys go first: after the window, the victim may try again, and the table stays bounded.
    clock.advance(16 * 60_000);
    expect(throttle.reserve(['email:victim']).retryAfter).toBe(0);
    for (let i = 0; i < 1_000; i++) throttle.reserve([`email:later-${i}`]);
    expect((throttle as unknown as { attempts: Map<string, number[]> }).attempts.size).toBeLessThanOrEqual(100);
  });
});
