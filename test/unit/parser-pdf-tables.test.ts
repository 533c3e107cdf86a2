import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/parser/parse-form.js';
import { collapse, parserOptions } from '../helpers/parser.js';
import { fixture } from '../helpers/paths.js';

// A PDF printed from a form whose items are in a table: the table is rebuilt from where the text stands on the
// page (lines, columns, rows, a row going on over a page break), so the layout rules read it as they read Word's.

interface Expected {
  kind: string;
  agency_code: string | null;
  initiatives: Record<string, unknown>[];
  results: Record<string, unknown>[];
}

const groundTruth = (...path: string[]): Expected =>
  JSON.parse(readFileSync(fixture(...path).replace(/\.(docx|doc|pdf)$/, '.expected.json'), 'utf8'));

async function read(...path: string[]) {
  const outcome = await parseForm(
    readFileSync(fixture(...path)),
    path[path.length - 1] as string,
    parserOptions,
  );
  if (!outcome.ok) throw new Error(`rejected: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.form;
}

const BODY = ['title', 'summary', 'necessity', 'products', 'beneficiaries', 'benefits'];
const WHOLE = [...BODY, 'expected_results', 'timeline', 'start', 'end', 'lead_unit', 'notes'];

// The printed copies of the sample forms whose .docx holds its initiatives in a table, and the fields each reads
// as the Word file does. (Left out: a timeline LibreOffice broke inside a date in a narrow column, which reads
// "11/202 1"; a results column split into sub-columns under one header, read as one field; and
// dk-so-tai-nguyen-moi-truong.pdf, whose text mixes a legacy font encoding with Unicode.)
const TABLE_FORMS: Record<string, string[]> = {
  'dk-quan-cau-giay.pdf': WHOLE,
  'dk-so-thong-tin-truyen-thong.pdf': WHOLE,
  'dk-so-thong-tin-truyen-thong-sua-doi.pdf': WHOLE,
  'dk-so-tu-phap.pdf': [...BODY, 'expected_results', 'start', 'lead_unit', 'notes'],
  'dk-huyen-thanh-tri.pdf': ['title', 'summary', 'necessity', 'products', 'benefits', 'lead_unit', 'notes'],
  'dk-huyen-gia-lam.pdf': [...BODY, 'expected_results'],
};

const pick = (item: object | undefined, fields: string[]) =>
  Object.fromEntries(fields.map((f) => [f, (item as Record<string, unknown> | undefined)?.[f]]));

describe('PDF printed from a form with its initiatives in a table', () => {
  for (const [file, fields] of Object.entries(TABLE_FORMS)) {
    it(`reads the initiatives of ${file} from the table rebuilt from the page`, async () => {
      const expected = groundTruth('forms', 'libreoffice', file);
      const form = await read('forms', 'libreoffice', file);
      expect({ kind: form.kind, agency_code: form.agency_code }).toEqual({
        kind: expected.kind,
        agency_code: expected.agency_code,
      });
      expect(form.initiatives.map((i) => collapse(i.title))).toEqual(
        expected.initiatives.map((i) => collapse(i.title)),
      );
      expect(collapse(form.initiatives.map((i) => pick(i, fields)))).toEqual(
        collapse(expected.initiatives.map((i) => pick(i, fields))),
      );
      expect(form.uncertain).not.toContain('initiatives');
    });
  }

  for (const file of ['bc-huyen-thanh-tri.pdf', 'bc-so-tu-phap.pdf']) {
    it(`reads the results table of ${file}, printed to PDF, as the Word original`, async () => {
      const expected = groundTruth('forms', 'libreoffice', file);
      const form = await read('forms', 'libreoffice', file);
      expect(form.kind).toBe(expected.kind);
      expect(collapse(form.results)).toEqual(
        collapse(expected.results.map(({ registered_title: _, ...r }) => r)),
      );
    });
  }

  it('still reads the printed sample form exactly as its ground truth', async () => {
    const expected = groundTruth('forms', 'dk-so-giao-thong-van-tai-ban-in.pdf');
    const { kind, agency_code, year, initiatives, results } = await read(
      'forms',
      'dk-so-giao-thong-van-tai-ban-in.pdf',
    );
    expect(collapse({ kind, agency_code, year, initiatives, results })).toEqual(
      collapse({ ...expected, results: expected.results.map(({ registered_title: _, ...r }) => r) }),
    );
  });
});
