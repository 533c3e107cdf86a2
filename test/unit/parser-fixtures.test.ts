import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/parser/parse-form.js';
import { collapse, parserOptions } from '../helpers/parser.js';
import { fixture } from '../helpers/paths.js';

const dataFiles = (...dir: string[]) =>
  readdirSync(fixture(...dir)).filter(
    (f) => /\.(docx|doc|odt|rtf|pdf)$/.test(f) && statSync(fixture(...dir, f)).isFile(),
  );

function groundTruth(...path: string[]) {
  const expected = JSON.parse(
    readFileSync(fixture(...path).replace(/\.(docx|doc|odt|rtf|pdf)$/, '.expected.json'), 'utf8'),
  );
  return {
    ...expected,
    results: expected.results.map(({ registered_title: _, ...r }: { registered_title: string }) => r),
  };
}

async function read(...path: string[]) {
  const file = path[path.length - 1] as string;
  const outcome = await parseForm(readFileSync(fixture(...path)), file, parserOptions);
  if (!outcome.ok) throw new Error(`rejected: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.form;
}

describe('parser on the sample forms', () => {
  for (const file of dataFiles('forms')) {
    it(`reads ${file} exactly as its ground truth`, async () => {
      const form = await read('forms', file);
      const { kind, agency_code, year, initiatives, results } = form;
      expect(collapse({ kind, agency_code, year, initiatives, results })).toEqual(
        collapse(groundTruth('forms', file)),
      );
      // Every string the parser returns is NFC.
      const strings = JSON.stringify(form);
      expect(strings).toBe(strings.normalize('NFC'));
      // The list of doubtful fields is sorted, so that a replay that changes nothing shows no change.
      expect(form.uncertain).toEqual([...form.uncertain].sort());
    });
  }
});

// The sample forms saved again by LibreOffice Writer (scripts/convert-forms-with-libreoffice.sh): other styles,
// run structure and table properties, the Word 97 format, OpenDocument, Rich Text, and a PDF printed from each.
describe('parser on the sample forms as LibreOffice writes them', () => {
  for (const file of dataFiles('forms', 'libreoffice').filter((f) => !f.endsWith('.pdf'))) {
    it(`reads ${file} saved by LibreOffice as the Word original`, async () => {
      const { kind, agency_code, year, initiatives, results } = await read('forms', 'libreoffice', file);
      expect(collapse({ kind, agency_code, year, initiatives, results })).toEqual(
        collapse(groundTruth('forms', 'libreoffice', file)),
      );
    });
  }
  for (const file of dataFiles('forms', 'libreoffice').filter((f) => f.endsWith('.pdf'))) {
    it(`finds the same agency and kind in ${file}, printed to PDF, as in the Word original`, async () => {
      const expected = groundTruth('forms', 'libreoffice', file);
      const form = await read('forms', 'libreoffice', file);
      expect({ kind: form.kind, agency_code: form.agency_code }).toEqual({
        kind: expected.kind,
        agency_code: expected.agency_code,
      });
      // Items a PDF lost the table of are not guessed at: they are flagged for a person instead.
      const items = expected.kind === 'results_report' ? form.results : form.initiatives;
      const path = expected.kind === 'results_report' ? 'results' : 'initiatives';
      if (items.length === 0 && expected.kind !== 'not_a_form') expect(form.uncertain).toContain(path);
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
