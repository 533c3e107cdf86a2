// The fields of a registered initiative, described once: every reader, writer and view of an initiative (the
// parser's contract, the database rows, the receipt in the acknowledgement, the console, the report, corrections)
// takes the list, the columns and the form's words from here.

/** One field of an initiative. */
interface FieldSpec {
  /** Its name in the parse contract (`ParsedInitiative`) and in corrections. */
  readonly name: string;
  /** The column of `initiatives` it is kept in. */
  readonly column: string;
  /** The registration form's own words for it (Biểu đăng ký, 1980/SNV-CCHC). */
  readonly label: string;
  /** Free text that may run to paragraphs (a wide column, a text area), rather than a line. */
  readonly long: boolean;
  /** A part of another field that forms may give separately ("Dự kiến kết quả đạt được": sản phẩm, …). */
  readonly partOf?: string;
  /** A month (YYYY-MM) worked out from the timeline, not a field the form writes. */
  readonly month?: true;
  /** Its column's width in the consolidated report, in characters as a spreadsheet counts them. */
  readonly width: number;
}

/** The fields, in the form's order. */
export const INITIATIVE_FIELDS = [
  { name: 'title', column: 'title', label: 'Tên sáng kiến, giải pháp, ý tưởng mới', long: false, width: 32 },
  { name: 'summary', column: 'summary', label: 'Mô tả tóm tắt nội dung', long: true, width: 40 },
  { name: 'necessity', column: 'necessity', label: 'Sự cần thiết áp dụng', long: true, width: 32 },
  {
    name: 'expected_results',
    column: 'expected_results',
    label: 'Dự kiến kết quả đạt được',
    long: true,
    width: 24,
  },
  {
    name: 'products',
    column: 'products',
    label: 'Sản phẩm',
    long: true,
    partOf: 'expected_results',
    width: 24,
  },
  {
    name: 'beneficiaries',
    column: 'beneficiaries',
    label: 'Đối tượng thụ hưởng',
    long: true,
    partOf: 'expected_results',
    width: 22,
  },
  {
    name: 'benefits',
    column: 'benefits',
    label: 'Lợi ích thu được',
    long: true,
    partOf: 'expected_results',
    width: 26,
  },
  { name: 'timeline', column: 'timeline', label: 'Thời gian thực hiện', long: false, width: 16 },
  { name: 'start', column: 'start_month', label: 'Tháng bắt đầu', long: false, month: true, width: 10 },
  { name: 'end', column: 'end_month', label: 'Tháng kết thúc', long: false, month: true, width: 10 },
  { name: 'lead_unit', column: 'lead_unit', label: 'Đơn vị chủ trì', long: false, width: 20 },
  { name: 'notes', column: 'notes', label: 'Ghi chú', long: true, width: 16 },
] as const satisfies readonly FieldSpec[];

type Spec = (typeof INITIATIVE_FIELDS)[number];
export type InitiativeField = Spec['name'];
export type InitiativeColumn = Spec['column'];
/** The fields the form writes (not the months worked out from its timeline). */
export type WrittenField = Exclude<Spec, { month: true }>['name'];
/** The parts "Dự kiến kết quả đạt được" may be given in. */
export type ExpectedPart = Extract<Spec, { partOf: string }>['name'];

/** An initiative's values by field name: the title always, the others null where the form has none. */
export type InitiativeValues = { title: string } & {
  [K in Exclude<InitiativeField, 'title'>]: string | null;
};
/** The same values by column of `initiatives`. */
export type InitiativeColumns = { title: string } & {
  [K in Exclude<InitiativeColumn, 'title'>]: string | null;
};

export const INITIATIVE_FIELD_NAMES: readonly InitiativeField[] = INITIATIVE_FIELDS.map((f) => f.name);
export const INITIATIVE_COLUMNS: readonly InitiativeColumn[] = INITIATIVE_FIELDS.map((f) => f.column);
export const WRITTEN_FIELDS: readonly WrittenField[] = INITIATIVE_FIELDS.flatMap((f) =>
  'month' in f ? [] : [f.name],
);
export const EXPECTED_PARTS: readonly ExpectedPart[] = INITIATIVE_FIELDS.flatMap((f) =>
  'partOf' in f ? [f.name] : [],
);

/** The field the parts belong to ("Dự kiến kết quả đạt được"), as a whole. */
export const EXPECTED_WHOLE = 'expected_results' satisfies InitiativeField;

/** Whether a field is a part of "Dự kiến kết quả đạt được". */
export function isExpectedPart(name: string): name is ExpectedPart {
  return (EXPECTED_PARTS as readonly string[]).includes(name);
}

const BY_NAME = new Map<string, Spec>(INITIATIVE_FIELDS.map((f) => [f.name, f]));

export function isInitiativeField(name: string): name is InitiativeField {
  return BY_NAME.has(name);
}

/** A field's description. */
export function fieldSpec(name: InitiativeField): Spec {
  const spec = BY_NAME.get(name);
  if (!spec) throw new Error(`no initiative field ${name}`);
  return spec;
}

/** The form's words for a field. */
export function fieldLabel(name: InitiativeField): string {
  return fieldSpec(name).label;
}

/** The column a field is kept in. */
export function columnOf(name: InitiativeField): InitiativeColumn {
  return fieldSpec(name).column;
}

/** An initiative's values as the columns of its row. */
export function toColumns(values: InitiativeValues): InitiativeColumns {
  const row: Record<string, string | null> = {};
  for (const f of INITIATIVE_FIELDS) row[f.column] = values[f.name];
  // Every column was set from its field just above.
  return row as InitiativeColumns;
}
