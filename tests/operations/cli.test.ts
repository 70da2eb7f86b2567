/** The command line: `c360 check` against real databases, and a bad config refused with its problems. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capture } from '../support/capture.js';
import { parseConfig } from '../../src/config/parse.js';
import { loadConfigFile } from '../../src/config/load.js';
import { runCheck } from '../../src/cli/check.js';
import { main } from '../../src/cli/main.js';
import { demoRawConfig } from '../../src/demo/config.js';
import { seedDemoWorld, type SeededWorld } from '../support/demo-world.js';

let seeded: SeededWorld;

beforeAll(async () => {
  seeded = await seedDemoWorld({ customers: 20, seed: 5 });
});

afterAll(async () => {
  await seeded?.drop();
});

describe('c360 check', () => {
  it('says every mapped table and column exists when they do', async () => {
    const out = capture();
    expect(await runCheck(seeded.config(), out.stream)).toBe(0);
    expect(out.text()).toContain('ok    crm: every mapped table and column exists');
    expect(out.text()).toContain('ok    shop: every mapped table and column exists');
  });

  it('names the missing column and the missing table, and fails', async () => {
    const raw = demoRawConfig({ crmUrl: seeded.crmUrl, shopUrl: seeded.shopUrl, shopKind: 'mysql', port: 0 });
    const broken = {
      ...raw,
      entities: {
        ...raw.entities,
        contact: { ...raw.entities.contact!, fields: { ...raw.entities.contact!.fields, email: 'emial' } },
        product: { ...raw.entities.product!, table: 'produits' },
      },
    };
    const out = capture();
    expect(await runCheck(parseConfig(broken), out.stream)).toBe(1);
    expect(out.text()).toMatch(/FAIL {2}crm: entities\.contact\.fields\.email: .*"emial"/);
    expect(out.text()).toMatch(/FAIL {2}shop: entities\.product\.table: .*"produits"/);
    expect(out.text()).toContain('c360 check: 2 problems');
  });

  it('reports a source that is down with its code instead of crashing', async () => {
    const out = capture();
    expect(await runCheck(seeded.config({ shopUrl: 'mysql://root@127.0.0.1:1/shop' }), out.stream)).toBe(1);
    expect(out.text()).toMatch(/FAIL {2}shop: SOURCE_UNAVAILABLE: /);
  });
});

describe('a bad config file', () => {
  it('stops the start with exit code 78 and CONFIG_INVALID', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'c360-'));
    const file = join(dir, 'c360.yaml');
    writeFileSync(
      file,
      'sources:\n  crm: { kind: postgres, url: "postgres://x@127.0.0.1/crm" }\nentities:\n  contact: { source: crm, table: contacts, fields: { emial: email } }\n',
    );
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errors.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['serve', '--config', file])).toBe(78);
    } finally {
      process.stderr.write = write;
    }
    expect(errors.join('')).toContain('CONFIG_INVALID: 2 problems');
    expect(errors.join('')).toContain('entities.contact.fields.emial (line 4)');
  });

  it('accepts the documented example, c360.example.yaml', () => {
    const config = loadConfigFile(new URL('../../c360.example.yaml', import.meta.url).pathname, { SHOP_PASSWORD: 'x' });
    expect(Object.keys(config.sources).sort()).toEqual(['crm', 'loyalty', 'shop']);
    expect(Object.keys(config.entities).length).toBeGreaterThanOrEqual(9);
  });
});
