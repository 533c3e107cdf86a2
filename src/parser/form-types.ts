import type { InitiativeValues } from '../domain/initiative-fields.js';
import type { ParsedKind, ResultStatus } from '../domain/kinds.js';

/**
 * One registered initiative as the form gives it; null where the form has no such field. Its fields are described
 * once, in src/domain/initiative-fields.ts; `start` and `end` (YYYY-MM) are worked out from the timeline.
 */
export type ParsedInitiative = InitiativeValues;

export interface ParsedResult {
  title: string;
  status: ResultStatus;
  outcome: string | null;
}

/** What the parser understood of one file. */
export interface ParsedForm {
  kind: ParsedKind;
  agency_code: string | null;
  agency_name: string | null;
  year: number | null;
  initiatives: ParsedInitiative[];
  results: ParsedResult[];
  warnings: string[];
  /**
   * Fields read with doubt, for a person to check before the reading counts, as sorted paths:
   * "initiatives[1].timeline", "results[0].status", "initiatives" (the table's orientation was guessed),
   * "agency_code", "kind", "year". Empty when the parser is sure of everything it read.
   */
  uncertain: string[];
  /**
   * The form's title as written, with the lines under it ("(Kèm theo Văn bản số …)", "(Bản thay thế biểu gửi
   * ngày …)"): they may say the form revises or supplements an earlier one. Absent in readings stored before it.
   */
  title?: string | null;
  /**
   * Text of the form's item region that no field, label or known furniture accounts for, with where it stands
   * and the path it was flagged at (that path is in `uncertain`). Absent in readings stored before it.
   */
  unaccounted?: UnaccountedText[];
}

/** A piece of the form's text the reading does not account for. */
export interface UnaccountedText {
  text: string;
  /** Where it stands: "table 2, row 3, cell 2", "paragraph 14". */
  at: string;
  path: string;
}

/** An agency of the registry, as the parser needs it to resolve a form's header. */
export interface RegistryAgency {
  code: string;
  name: string;
  kind: string;
}
