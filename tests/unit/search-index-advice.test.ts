/** `c360 check` names the index each customerSearch question needs, per SQL source. */
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/parse.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { searchIndexAdvice } from '../../src/resolvers/search/index-advice.js';
import { readSearchedText } from '../../src/resolvers/search/searched-text.js';

describe('search index advice', () => {
  const config = parseConfig(
    demoRawConfig({ crmUrl: 'postgres://u@127.0.0.1:5432/crm', shopUrl: 'mysql://u@127.0.0.1:3306/shop', shopKind: 'mysql', port: 0 }),
  );
  const advice = searchIndexAdvice(config);

  it('gives PostgreSQL an expression index on the folded column, as the search compiles it', () => {
    const lastName = advice.find((entry) => entry.source === 'crm' && entry.field === 'lastName')!;
    expect(lastName.sql).toMatch(
      /^CREATE INDEX "contacts_last_name_search_idx" ON "contacts" \(\(REPLACE\(REPLACE\(REPLACE\(TRANSLATE\(LOWER\(TRIM\(CAST\("last_name" AS TEXT\)\)\), /,
    );
    expect(lastName.sql).toMatch(/ text_pattern_ops\)$/);
  });

  it('gives MySQL a plain index on the column, which its _ci collation serves', () => {
    expect(advice.filter((entry) => entry.source === 'shop').map((entry) => entry.sql)).toContain(
      'CREATE INDEX `customers_city_search_idx` ON `customers` (`city`)',
    );
  });

  it('gives the mailbox-key lookup that links each hit its index: an expression on PostgreSQL, a declared generated column on MySQL', () => {
    const linking = advice.filter((entry) => entry.serves === 'linking');
    expect(linking.map((entry) => `${entry.source}.${entry.entity}.${entry.field}`)).toEqual(['crm.contact.email', 'shop.shopCustomer.email']);
    // Exactly the expression connectors/sql/email-key.ts compiles, so the planner matches it.
    expect(linking[0]!.sql).toBe(
      `CREATE INDEX "contacts_email_mailbox_idx" ON "contacts" (((REPLACE(SPLIT_PART(SPLIT_PART(LOWER(TRIM(CAST("email" AS TEXT))), '@', 1), '+', 1), '.', '') || '@' || SPLIT_PART(LOWER(TRIM(CAST("email" AS TEXT))), '@', 2))))`,
    );
    expect(linking[1]!.sql).toMatch(
      /^ALTER TABLE `customers` ADD COLUMN `email_mailbox_key` VARCHAR\(320\) AS \(CONCAT\(.*\) STORED, ADD INDEX \(`email_mailbox_key`\), then declare normalizedColumns: \{ email: \{ email: email_mailbox_key \} \}$/,
    );
    // Once declared, nothing more to advise for it.
    const declared = parseConfig({
      ...demoRawConfig({ crmUrl: 'postgres://u@127.0.0.1:5432/crm', shopUrl: 'mysql://u@127.0.0.1:3306/shop', shopKind: 'mysql', port: 0 }),
    });
    const shop = declared.sources.shop!.entities.find((mapping) => mapping.entity === 'shopCustomer')!;
    expect(
      searchIndexAdvice({
        ...declared,
        sources: {
          ...declared.sources,
          shop: { ...declared.sources.shop!, entities: [{ ...shop, normalizedColumns: { email: { email: 'email_mailbox_key' } } }] },
        },
      } as typeof declared).filter((entry) => entry.serves === 'linking' && entry.source === 'shop'),
    ).toEqual([]);
  });

  it('covers first name, last name, company, city and email of both anchors', () => {
    expect(
      advice
        .filter((entry) => entry.serves === 'search')
        .map((entry) => `${entry.entity}.${entry.field}`)
        .sort(),
    ).toEqual(
      ['contact', 'shopCustomer'].flatMap((entity) => ['city', 'companyName', 'email', 'firstName', 'lastName'].map((field) => `${entity}.${field}`)).sort(),
    );
  });
});

describe('what was typed', () => {
  it('reads a SIRET with spaces, a SIREN, a phone in any spelling, an email and words', () => {
    expect(readSearchedText('123 456 789 00012', 'FR')).toEqual({ kind: 'siret', digits: '12345678900012' });
    expect(readSearchedText('123456789', 'FR')).toEqual({ kind: 'siren', digits: '123456789' });
    expect(readSearchedText('06.12.34.56.78', 'FR')).toEqual({ kind: 'phone', e164: '+33612345678' });
    expect(readSearchedText('+33 (0)6 12 34 56 78', 'FR')).toEqual({ kind: 'phone', e164: '+33612345678' });
    expect(readSearchedText(' Antoine.Mercier@iCloud.com', 'FR')).toEqual({ kind: 'email', value: 'antoine.mercier@icloud.com' });
    expect(readSearchedText('GAILLARD  Hélène', 'FR')).toEqual({ kind: 'words', words: ['gaillard', 'helene'] });
  });
});
