import { describe, expect, it } from '@jest/globals';
import { compareDates, jaroSimilarity, jaroWinkler, levenshtein, normalizeDate } from '../../src/identity/similarity.js';

describe('jaroWinkler', () => {
  // Published values (Winkler 1990; reproduced in most record-linkage texts).
  it.each([
    ['MARTHA', 'MARHTA', 0.9611],
    ['DWAYNE', 'DUANE', 0.84],
    ['DIXON', 'DICKSONX', 0.8133],
  ])('scores %s / %s as %f', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 4);
  });

  it('matches the published Jaro values behind them', () => {
    expect(jaroSimilarity('MARTHA', 'MARHTA')).toBeCloseTo(0.9444, 4);
    expect(jaroSimilarity('DWAYNE', 'DUANE')).toBeCloseTo(0.8222, 4);
    expect(jaroSimilarity('DIXON', 'DICKSONX')).toBeCloseTo(0.7667, 4);
  });

  it('is 1 for identical strings and 0 for strings with nothing in common', () => {
    expect(jaroWinkler('dupont', 'dupont')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('', '')).toBe(1);
  });

  it('is symmetric', () => {
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(jaroWinkler('DICKSONX', 'DIXON'), 12);
  });

  it('caps the prefix bonus at four characters', () => {
    const jaro = jaroSimilarity('abcdefgh', 'abcdefxy');
    expect(jaroWinkler('abcdefgh', 'abcdefxy')).toBeCloseTo(jaro + 0.4 * (1 - jaro), 12);
  });
});

describe('levenshtein', () => {
  it.each([
    ['kitten', 'sitting', 3],
    ['flaw', 'lawn', 2],
    ['dupont', 'dupond', 1],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['same', 'same', 0],
  ])('counts %p → %p as %i edits', (a, b, expected) => {
    expect(levenshtein(a, b)).toBe(expected);
  });
});

describe('normalizeDate', () => {
  it('reads ISO, compact and French day-first dates', () => {
    expect(normalizeDate('1985-03-04')).toBe('1985-03-04');
    expect(normalizeDate('19850304')).toBe('1985-03-04');
    expect(normalizeDate('04/03/1985')).toBe('1985-03-04');
    expect(normalizeDate('4.3.1985')).toBe('1985-03-04');
    expect(normalizeDate('1985-03-04T00:00:00Z')).toBe('1985-03-04');
  });

  it('rejects impossible calendar dates and junk', () => {
    expect(normalizeDate('1985-02-30')).toBeNull();
    expect(normalizeDate('31/04/1985')).toBeNull();
    expect(normalizeDate('hier')).toBeNull();
    expect(normalizeDate(null)).toBeNull();
  });
});

describe('compareDates', () => {
  it('finds exact agreement across formats', () => {
    expect(compareDates('1985-03-04', '04/03/1985')).toBe('exact');
  });

  it('recognizes a day/month swap', () => {
    expect(compareDates('1985-03-04', '1985-04-03')).toBe('transposedDayMonth');
  });

  it('recognizes a single mistyped digit', () => {
    expect(compareDates('1985-03-04', '1986-03-04')).toBe('oneDigitOff');
    expect(compareDates('1985-03-04', '1985-03-14')).toBe('oneDigitOff');
  });

  it('calls everything else different, including unreadable dates', () => {
    expect(compareDates('1985-03-04', '1990-07-21')).toBe('different');
    expect(compareDates('1985-03-04', 'inconnue')).toBe('different');
  });
});
