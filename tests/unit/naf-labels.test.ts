/**
 * The NAF codes in words on the pages (src/ui/static/words.js): INSEE's French labels
 * (@socialgouv/codes-naf) and Eurostat's NACE Rev. 2 English ones (src/ui/static/nace-en.js)
 * hold the same codes, so every NAF code has a label in both languages.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';

interface NafEntry {
  readonly id: string;
  readonly label: string;
}

const require = createRequire(import.meta.url);

async function tables(): Promise<{
  french: NafEntry[];
  english: { NACE_EN: Record<string, string>; NACE_SECTIONS_EN: Record<string, string>; NACE_SECTION_OF_DIVISION: Record<string, string> };
}> {
  const french = JSON.parse(await readFile(require.resolve('@socialgouv/codes-naf/index.json'), 'utf8')) as NafEntry[];
  const english = (await import(new URL('../../src/ui/static/nace-en.js', import.meta.url).href)) as unknown as Awaited<ReturnType<typeof tables>>['english'];
  return { french, english };
}

describe('NAF labels', () => {
  it('has a French label for each of the 88 divisions, 272 groups, 615 classes and 732 subclasses of NAF rév. 2', async () => {
    const { french } = await tables();
    const level = (id: string) =>
      /^\d\d$/.test(id)
        ? 'division'
        : /^\d\d\.\d$/.test(id)
          ? 'group'
          : /^\d\d\.\d\d$/.test(id)
            ? 'class'
            : /^\d\d\.\d\d[A-Z]$/.test(id)
              ? 'subclass'
              : 'other';
    const counts: Record<string, number> = {};
    for (const entry of french) {
      counts[level(entry.id)] = (counts[level(entry.id)] ?? 0) + 1;
      expect(entry.label.trim()).not.toBe('');
    }
    expect(counts).toEqual({ division: 88, group: 272, class: 615, subclass: 732 });
  });

  it('has an English NACE label for every NAF code down to the class, and every subclass has its class', async () => {
    const { french, english } = await tables();
    const aboveSubclass = french.filter((entry) => !/[A-Z]$/.test(entry.id)).map((entry) => entry.id);
    expect(Object.keys(english.NACE_EN).sort()).toEqual([...aboveSubclass].sort());
    for (const entry of french.filter((candidate) => /[A-Z]$/.test(candidate.id))) expect(english.NACE_EN[entry.id.slice(0, 5)]).toBeDefined();
    for (const label of Object.values(english.NACE_EN)) expect(label).toMatch(/^[A-Z][a-z]/);
    // The 21 sections, each division in one of them.
    expect(Object.keys(english.NACE_SECTIONS_EN)).toEqual('ABCDEFGHIJKLMNOPQRSTU'.split(''));
    expect(Object.keys(english.NACE_SECTION_OF_DIVISION).sort()).toEqual(aboveSubclass.filter((id) => /^\d\d$/.test(id)).sort());
  });

  it("names the demo companies' codes as INSEE and Eurostat do", async () => {
    const { french, english } = await tables();
    const fr = new Map(french.map((entry) => [entry.id, entry.label]));
    expect(fr.get('96.02A')).toBe('Coiffure');
    expect(english.NACE_EN['96.02']).toBe('Hairdressing and other beauty treatment');
    expect(fr.get('47.71Z')).toBe("Commerce de détail d'habillement en magasin spécialisé");
    expect(english.NACE_EN['47.71']).toBe('Retail sale of clothing in specialised stores');
  });
});
