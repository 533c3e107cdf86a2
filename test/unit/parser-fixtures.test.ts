import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/parser/parse-form.js';
import { collapse, parserOptions } from '../helpers/parser.js';
import { fixture } from '../helpers/paths.js';

const forms = readdirSync(fixture('forms')).filter((f) => !f.endsWith('.json'));

describe('parser on the sample forms', () => {
  for (const file of forms) {
    it(`reads ${file} exactly as its ground truth`, async () => {
      const expected = JSON.parse(
        readFileSync(fixture('forms', file.replace(/\.(docx|doc|pdf)$/, '.expected.json')), 'utf8'),
      );
      const outcome = await parseForm(readFileSync(fixture('forms', file)), file, parserOptions);
      if (!outcome.ok) throw new Error(`rejected: ${outcome.error.code} ${outcome.error.message}`);
      const { kind, agency_code, year, initiatives, results } = outcome.form;
      expect(collapse({ kind, agency_code, year, initiatives, results })).toEqual(
        collapse({
          ...expected,
          results: expected.results.map(({ registered_title: _, ...r }: { registered_title: string }) => r),
        }),
      );
      // Every string the parser returns is NFC.
      const strings = JSON.stringify(outcome.form);
      expect(strings).toBe(strings.normalize('NFC'));
    });
  }
});

describe('parser on hostile files', () => {
  const hostile = readdirSync(fixture('hostile')).filter((f) => !f.endsWith('.txt'));
  for (const file of hostile) {
    it(`refuses ${file} with its typed error`, async () => {
      const code = readFileSync(
        fixture('hostile', file.replace(/\.[^.]+$/, '.expected-error.txt')),
        'utf8',
      ).split(':')[0];
      const outcome = await parseForm(readFileSync(fixture('hostile', file)), file, parserOptions);
      expect(outcome.ok ? outcome.form.kind : outcome.error.code).toBe(code);
      expect(outcome.ok ? '' : outcome.error.message.length).toBeGreaterThan(10);
    });
  }
});
