/** A MySQL `YYYY-MM-DD HH:MM:SS` read as UTC: the fast path gives what the general path (Date.UTC) gives, rollovers and odd years included. */
import { describe, expect, it } from '@jest/globals';
import { coerceValue } from '../../connectors/sql/coerce.js';

// With a time zone declared the fast path is skipped: UTC through the general path is the reference.
const general = (text: string) => coerceValue(text, 'datetime', 'UTC');
const fast = (text: string) => coerceValue(text, 'datetime');

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('reading a plain MySQL datetime as UTC', () => {
  it.each([
    '2026-03-04 12:34:56',
    '2026-02-28 23:59:59',
    '2026-02-29 10:00:00',
    '2026-02-30 10:00:00',
    '2026-04-31 00:00:00',
    '2026-12-31 23:59:59',
    '2026-13-01 00:00:00',
    '2026-00-10 00:00:00',
    '2026-01-00 00:00:00',
    '2026-01-01 24:00:00',
    '2026-01-01 23:60:00',
    '2026-01-01 23:59:60',
    '0000-00-00 00:00:00',
    '0050-06-01 00:00:00',
    '0099-06-01 00:00:00',
    '0100-06-01 00:00:00',
    '9999-12-28 23:59:59',
    '2026-03-04 12:34:56.789',
    '2026-03-04 12:34:56.029',
    '2026-03-04 12:34:56.000',
    '2026-03-04 12:34:56.7',
    '2026-03-04 12:34:56.123456',
    '2026-02-30 12:34:56.500',
    '2026-03-04T12:34:56',
    ' 2026-03-04 12:34:56',
  ])('%s', (text) => {
    expect(fast(text)).toEqual(general(text));
  });

  it('agrees on 20,000 generated values around every bound', () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    for (let i = 0; i < 20_000; i++) {
      const text = `${pad(random(3) === 0 ? random(200) : 1900 + random(200), 4)}-${pad(random(14), 2)}-${pad(random(33), 2)} ${pad(random(26), 2)}:${pad(random(62), 2)}:${pad(random(62), 2)}${random(2) === 0 ? '' : `.${pad(random(1000), 3)}`}`;
      expect([text, fast(text)]).toEqual([text, general(text)]);
    }
  });
});
