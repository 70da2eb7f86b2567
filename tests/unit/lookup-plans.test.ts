/** How an index-served lookup is written for the keys it is given (connectors/sql/lookup-indexes.ts). */
import { describe, expect, it } from '@jest/globals';
import { createMysqlDialect, createPostgresDialect } from '../../connectors/sql/dialect.js';
import { render } from '../../connectors/sql/fragment.js';
import { compileServedMatch, paddedKeys, type LookupPlan } from '../../connectors/sql/lookup-indexes.js';

const plan = (overrides: Partial<LookupPlan>): LookupPlan => ({
  entity: 'contact',
  field: 'email',
  keyMatch: 'caseInsensitive',
  table: 'contacts',
  column: 'email',
  service: 'lowerIndex',
  leadingSpaces: 0,
  trailingSpaces: 0,
  padSpace: false,
  ...overrides,
});

describe('index-served lookups', () => {
  it('sends each key in every padding the stored values hold, and no other', () => {
    expect(paddedKeys(plan({ leadingSpaces: 1, trailingSpaces: 1 }), ['a@b.fr'])).toEqual(['a@b.fr', 'a@b.fr ', ' a@b.fr', ' a@b.fr ']);
    expect(paddedKeys(plan({}), ['a@b.fr', 'c@d.fr'])).toEqual(['a@b.fr', 'c@d.fr']);
  });

  it('compares lower(email) with the padded keys on PostgreSQL', () => {
    const rendered = render(compileServedMatch(createPostgresDialect(), plan({ leadingSpaces: 1 }), ['a@b.fr'])!, (n) => `$${n}`);
    expect(rendered).toEqual({ text: 'LOWER("email") = ANY($1)', params: [['a@b.fr', ' a@b.fr']] });
  });

  it('compares the column itself under a case-insensitive collation on MariaDB', () => {
    const served = compileServedMatch(createMysqlDialect('mariadb', 0), plan({ service: 'collation', padSpace: true, leadingSpaces: 1 }), ['a@b.fr']);
    expect(render(served!, () => '?')).toEqual({ text: '`email` IN (?, ?)', params: ['a@b.fr', ' a@b.fr'] });
  });

  it('compares an indexed generated column with the keys as they are', () => {
    const served = compileServedMatch(createMysqlDialect('mariadb', 0), plan({ service: 'generatedColumn', generatedColumn: 'email_lookup' }), ['a@b.fr']);
    expect(render(served!, () => '?')).toEqual({ text: '`email_lookup` IN (?)', params: ['a@b.fr'] });
  });

  it('leaves the exact predicate where an index already serves it, or none does', () => {
    expect(compileServedMatch(createPostgresDialect(), plan({ service: 'expression' }), ['a@b.fr'])).toBeUndefined();
    expect(compileServedMatch(createPostgresDialect(), plan({ service: 'none' }), ['a@b.fr'])).toBeUndefined();
    expect(compileServedMatch(createPostgresDialect(), undefined, ['a@b.fr'])).toBeUndefined();
  });
});
