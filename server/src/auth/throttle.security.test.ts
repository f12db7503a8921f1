import { describe, expect, it } from 'vitest';
import { Client, PASSWORD, signUp, startTestApp } from '../test/harness.js';
import { auditActionsFor } from './test-helpers.js';

const LIMIT = 5;
const t = await startTestApp({ SIGN_IN_MAX_FAILURES: String(LIMIT) });

describe('sign-in throttle under parallel guessing', () => {
  it('evaluates at most SIGN_IN_MAX_FAILURES of 40 parallel wrong guesses; the owner at another address signs in at once', async () => {
    const { email, user } = await signUp(t);
    const guesser = new Client(t.app);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => guesser.post('/api/auth/sign-in/email', { email, password: `guess number ${i}` })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - statuses.filter((s) => s === 401).length);
    // Only evaluated guesses are audited as failures: the count is the proof that no more were checked.
    const actions = await auditActionsFor(t, user.id);
    expect(actions.filter((a) => a === 'auth.sign_in_failed').length).toBeLessThanOrEqual(LIMIT);
    expect(actions.filter((a) => a === 'auth.sign_in_throttled').length).toBeGreaterThanOrEqual(40 - LIMIT);

    // The right password from the guesser's address is refused too, without being checked...
    expect((await guesser.post('/api/auth/sign-in/email', { email, password: PASSWORD })).status).toBe(429);
    // ...while the owner, from another address, is not held up at all.
    const owner = new Client(t.app);
    const signedIn = await owner.post('/api/auth/sign-in/email', { email, password: PASSWORD });
    expect(signedIn.status).toBe(200);
    expect(owner.hasSession).toBe(true);
  });
});
