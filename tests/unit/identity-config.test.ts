import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { DEFAULT_IDENTITY_CONFIG } from '../../src/config/identity-config.js';
import { parseConfigText } from '../../src/config/load.js';
import { DEFAULT_PERSON_MODEL } from '../../src/identity/person-model.js';

const BASE = `
sources:
  crm: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/crm" }
entities:
  contact: { source: crm, table: people, fields: { id: id, lastName: name } }
`;

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => `${problem.path}: ${problem.message}`);
    throw error;
  }
  return [];
}

describe('identity config', () => {
  it('defaults to every deterministic rule, strongest first, and probabilistic matching off', () => {
    const config = parseConfigText(BASE, {});
    expect(config.identity).toEqual(DEFAULT_IDENTITY_CONFIG);
    expect(config.identity.rules).toEqual(['EXTERNAL_ID', 'EMAIL', 'PHONE']);
    expect(config.identity.maxRecordsPerIdentifier).toBe(3);
    expect(config.identity.probabilistic).toMatchObject({
      enabled: false,
      linkAbove: 0.95,
      reviewAbove: 0.5,
      candidatesPerBlock: 50,
      sameSource: true,
      namesMustAgree: true,
    });
    expect(config.identity.probabilistic.model).toBe(DEFAULT_PERSON_MODEL);
  });

  it('keeps the v1 keys and reads rule order, blocking and thresholds', () => {
    const config = parseConfigText(
      `${BASE}
identity:
  defaultRegion: BE
  blocklist: ["noemail@shop.fr"]
  maxRecordsPerIdentifier: 5
  rules: [EMAIL, EXTERNAL_ID]
  probabilistic: { enabled: true, linkAbove: 0.99, reviewAbove: 0.7, blocking: [birthDate, postcode], candidatesPerBlock: 20, sameSource: false }
`,
      {},
    );
    expect(config.identity).toMatchObject({ defaultRegion: 'BE', blocklist: ['noemail@shop.fr'], maxRecordsPerIdentifier: 5, rules: ['EMAIL', 'EXTERNAL_ID'] });
    expect(config.identity.probabilistic).toMatchObject({
      enabled: true,
      linkAbove: 0.99,
      reviewAbove: 0.7,
      blocking: ['birthDate', 'postcode'],
      candidatesPerBlock: 20,
      sameSource: false,
    });
  });

  it('takes a fitted model in place of the default one', () => {
    const model = {
      prior: 0.0002,
      fields: [
        {
          field: 'surname',
          normalize: 'personName',
          comparison: { kind: 'exact' },
          levels: [
            { name: 'exact', m: 0.9, u: 0.01 },
            { name: 'else', m: 0.1, u: 0.99 },
          ],
        },
      ],
    };
    const config = parseConfigText(`${BASE}\nidentity: { probabilistic: { enabled: true, model: ${JSON.stringify(model)} } }\n`, {});
    expect(config.identity.probabilistic.model).toEqual(model);
  });

  it('refuses an unknown rule, a repeated rule, crossed thresholds and an unknown blocking field, with their paths', () => {
    expect(problemsOf(`${BASE}\nidentity: { rules: [EMAIL, SSN] }\n`)).toEqual([expect.stringMatching(/^identity\.rules\[1\]: /)]);
    expect(problemsOf(`${BASE}\nidentity: { rules: [EMAIL, EMAIL] }\n`)).toEqual([expect.stringMatching(/^identity\.rules: a rule is listed twice/)]);
    expect(problemsOf(`${BASE}\nidentity: { probabilistic: { linkAbove: 0.4, reviewAbove: 0.6 } }\n`)).toEqual([
      expect.stringMatching(/^identity\.probabilistic\.linkAbove: linkAbove must be at least reviewAbove/),
    ]);
    expect(problemsOf(`${BASE}\nidentity: { probabilistic: { blocking: [email] } }\n`)).toEqual([
      expect.stringMatching(/^identity\.probabilistic\.blocking\[0\]: /),
    ]);
    expect(problemsOf(`${BASE}\nidentity: { probabilistic: { enable: true } }\n`)).toEqual([
      expect.stringMatching(/^identity\.probabilistic(\.enable)?: .*enable/),
    ]);
  });

  it('takes compound blocking rules beside field rules, and refuses a one-part, repeated-part or date-and-year rule', () => {
    const config = parseConfigText(`${BASE}\nidentity: { probabilistic: { blocking: [birthDate, [lastName, birthYear], [lastName, postcode]] } }\n`, {});
    expect(config.identity.probabilistic.blocking).toEqual(['birthDate', ['lastName', 'birthYear'], ['lastName', 'postcode']]);
    for (const rule of ['[lastName]', '[lastName, lastName]', '[birthDate, birthYear]', '[lastName, email]', 'birthYear'])
      expect(problemsOf(`${BASE}\nidentity: { probabilistic: { blocking: [${rule}] } }\n`)).toEqual([
        expect.stringMatching(/^identity\.probabilistic\.blocking\[0\]/),
      ]);
  });
});
