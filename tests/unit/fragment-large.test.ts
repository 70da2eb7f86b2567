/**
 * A bulk-linked cube statement lists every linked shop account's id as a parameter
 * (docs/analytics.md): fragments of several hundred thousand parts compose and render
 * without overflowing the stack (spreading them into push() did, above about 120,000).
 */
import { describe, expect, it } from '@jest/globals';
import { join, param, raw, render, sql } from '../../connectors/sql/fragment.js';

describe('fragments of a very long id list', () => {
  it('compose with sql and join and render every placeholder in order', () => {
    const ids = Array.from({ length: 300_000 }, (_, i) => String(i + 1));
    const list = join(
      ids.map((id) => param(id)),
      ', ',
    );
    const statement = render(sql`SELECT 1 FROM t WHERE ${raw('id')} IN (${list})`, () => '?');
    expect(statement.params).toHaveLength(300_000);
    expect(statement.params[299_999]).toBe('300000');
    expect(statement.text.startsWith('SELECT 1 FROM t WHERE id IN (?, ?, ')).toBe(true);
    expect(statement.text.split('?')).toHaveLength(300_001);
  });
});
