/**
 * Issue 13, item 11: with the helpdesk answering in 2 s under its 3 s timeout, calls that
 * spent most of their budget queueing for a slot got an attempt shorter than 2 s, timed
 * out, and each counted as a source failure, so the breaker opened on a healthy source.
 * A timeout now counts for the breaker only when the attempt had its full attempt timeout.
 */
import { describe, expect, it } from '@jest/globals';
import { HttpAttemptError } from '../../connectors/rest/http.js';

describe('what the breaker counts', () => {
  it('counts a timeout of a full attempt, and not one c360 cut short after queueing', () => {
    expect(new HttpAttemptError('timeout', 'timed out after 3000 ms').countsForBreaker).toBe(true);
    expect(new HttpAttemptError('timeout', 'timed out after 800 ms', { cutShort: true }).countsForBreaker).toBe(false);
    expect(new HttpAttemptError('status', 'HTTP 503', { status: 503 }).countsForBreaker).toBe(true);
    expect(new HttpAttemptError('status', 'HTTP 429', { status: 429 }).countsForBreaker).toBe(false);
  });
});
