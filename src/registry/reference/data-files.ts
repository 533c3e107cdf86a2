import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { AgencyRow } from '../../domain/agency.js';
import { CampaignFile } from '../../domain/campaign.js';
import type { AgencyKind } from '../../domain/kinds.js';
import { asError, DataFileError } from '../../errors.js';

const REQUIRED_COLUMNS = ['code', 'name', 'kind', 'email'] as const;

/**
 * Parse an agency registry CSV (`code,name,kind,quota,email`, UTF-8, optional BOM). Every problem is reported
 * with its line number, and any problem rejects the whole file: nothing of a bad file is imported.
 */
export function parseAgencyCsv(
  text: string,
  source = 'registry',
  /** Codes of agencies already in the registry: a parent may be one of them rather than of the file. */
  known: ReadonlyMap<string, AgencyKind> = new Map(),
): AgencyRow[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    });
  } catch (err) {
    const e = asError(err) as Error & { lines?: number };
    throw new DataFileError(
      'invalid_csv',
      `${source}: line ${e.lines ?? '?'}: ${e.message}`,
      { source },
      { cause: err },
    );
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (records.length > 0 && missing.length > 0) {
    throw new DataFileError('invalid_csv', `${source}: line 1: missing column(s) ${missing.join(', ')}`, {
      source,
    });
  }

  const problems: string[] = [];
  const rows: AgencyRow[] = [];
  const seenCodes = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  for (const { record, info } of records) {
    const line = info.lines;
    const parsed = AgencyRow.safeParse({
      ...record,
      quota: record.quota ?? '',
      parent: record.parent ?? '',
      emails: record.email ?? '',
    });
    if (!parsed.success) {
      problems.push(
        `line ${line}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', ')}`,
      );
      continue;
    }
    const row = parsed.data;
    const dupCode = seenCodes.get(row.code);
    if (dupCode) problems.push(`line ${line}: code ${row.code} already used on line ${dupCode}`);
    seenCodes.set(row.code, line);
    for (const email of row.emails) {
      const dupEmail = seenEmails.get(email);
      if (dupEmail) problems.push(`line ${line}: email ${email} already used on line ${dupEmail}`);
      seenEmails.set(email, line);
    }
    rows.push(row);
  }
  // A parent is a district of the file or of the registry, and only communes and wards have one.
  const kinds = new Map<string, AgencyKind>([...known, ...rows.map((r) => [r.code, r.kind] as const)]);
  for (const row of rows) {
    if (!row.parent) continue;
    const line = seenCodes.get(row.code);
    const parentKind = kinds.get(row.parent);
    if (!parentKind) problems.push(`line ${line}: parent ${row.parent} is not an agency of the registry`);
    else if (parentKind !== 'district')
      problems.push(`line ${line}: parent ${row.parent} is a ${parentKind}, not a district`);
    if (row.kind !== 'commune' && row.kind !== 'ward')
      problems.push(`line ${line}: only a commune or a ward has a parent, not a ${row.kind}`);
  }
  if (problems.length > 0) {
    throw new DataFileError('invalid_csv', `${source}: nothing imported; ${problems.join('; ')}`, {
      source,
      problems,
    });
  }
  if (rows.length === 0)
    throw new DataFileError('invalid_csv', `${source}: the file has no agency rows`, { source });
  return rows;
}

/** Parse a campaign file, YAML or JSON (JSON is YAML too), naming every bad field. */
export function parseCampaignFile(text: string, source = 'campaign'): CampaignFile {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new DataFileError(
      'invalid_campaign',
      `${source}: not valid YAML or JSON: ${asError(err).message}`,
      { source },
      { cause: err },
    );
  }
  const parsed = CampaignFile.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new DataFileError('invalid_campaign', `${source}: ${problems.join('; ')}`, { source, problems });
  }
  return parsed.data;
}

export async function readDataFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new DataFileError(
      'file_unreadable',
      `cannot read ${path}: ${asError(err).message}`,
      { path },
      { cause: err },
    );
  }
}
