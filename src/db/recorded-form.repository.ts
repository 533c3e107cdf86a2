import { sql } from 'kysely';
import { INITIATIVE_COLUMNS, type InitiativeColumns } from '../domain/initiative-fields.js';
import type { Db } from './database.js';
import { reusableQuery } from './reusable-query.js';
import type { SubmissionValues } from './submission.repository.js';

/** One initiative of a registration, as recorded: the parser's reading and where it stands. */
type InitiativeRow = { position: number; title_key: string } & InitiativeColumns;

// The initiative's columns, from their one description: names of the schema's own, never a sender's text.
const FIELD_COLUMNS = sql.join(INITIATIVE_COLUMNS.map((c) => sql.ref(c)));
const FIELD_VALUES = sql.join(INITIATIVE_COLUMNS.map((c) => sql.ref(`r.${c}`)));
const FIELD_TYPES = sql.join(INITIATIVE_COLUMNS.map((c) => sql`${sql.ref(c)} text`));

/** One line of a results report, as recorded (linked, or not, by the ledger afterwards). */
interface ResultRow {
  position: number;
  title: string;
  status: string;
  outcome: string | null;
}

export interface RecordedForm {
  submission: SubmissionValues;
  /** What the attachment keeps of the parse: the form read, and how long reading took. */
  parseResult: unknown;
  parseMs: number | null;
  /** The drawing of the document (a text document's: a scan's pages are stored apart), or null. */
  drawing: { kind: string; rendering: unknown } | null;
  /** Submissions' references start with it: `CCHC-2021`. */
  referencePrefix: string;
  initiatives: readonly InitiativeRow[];
  /** The state the initiatives start in: held ones wait for a person, the others for the ledger. */
  initiativeStatus: 'superseded' | 'pending_review';
  results: readonly ResultRow[];
}

// One statement records a parsed form: the attachment's outcome, the submission with its reference, its
// initiatives or results, and the document's drawing. It is atomic on its own, so a held form (which changes
// nothing counted) needs no transaction: a quarter of the round trips its recording took as separate statements.
const recordQuery = reusableQuery(
  (
    db,
    p: SubmissionValues & {
      parse_result: string;
      parse_ms: number | null;
      drawing_kind: string | null;
      drawing: string | null;
      reference_prefix: string;
      initiatives: string;
      initiative_status: string;
      results: string;
    },
  ) => ({
    compile: () =>
      sql<{ id: string; reference: string }>`
        with next as (select nextval('submissions_id_seq') as id),
        outcome as (
          update attachments
          set state = 'parsed', reason_code = null, error_message = null, parsed_kind = ${p.kind}::text,
            parse_result = ${p.parse_result}::jsonb, parse_ms = ${p.parse_ms}::int, parsed_at = now(), updated_at = now()
          where id = ${p.attachment_id}::bigint
          returning id
        ),
        -- The document's drawing, with its reading (an earlier drawing's page images go with it).
        drawn as (
          insert into document_renderings (attachment_id, kind, rendering)
          select outcome.id, ${p.drawing_kind}::text, ${p.drawing}::jsonb from outcome
          where ${p.drawing}::jsonb is not null
          on conflict (attachment_id) do update
            set kind = excluded.kind, rendering = excluded.rendering, rendered_at = now()
        ),
        pages_gone as (
          delete from document_page_images
          where attachment_id = ${p.attachment_id}::bigint and ${p.drawing}::jsonb is not null
        ),
        submission as (
          insert into submissions (id, reference, campaign_id, agency_id, attachment_id, kind, form_agency_code,
            form_agency_name, form_year, status, review_reasons, warnings, received_at, content_hash, revision_hint,
            late)
          -- zero-padded to five digits, never cut: lpad alone would truncate a longer id
          select next.id, ${p.reference_prefix} || '-' || lpad(next.id::text, greatest(5, length(next.id::text)), '0'),
            ${p.campaign_id}::bigint, ${p.agency_id}::bigint, outcome.id, ${p.kind}::text,
            ${p.form_agency_code}::text, ${p.form_agency_name}::text, ${p.form_year}::int, ${p.status}::text,
            ${p.review_reasons}::text[], ${p.warnings}::text[], ${p.received_at}::timestamptz,
            ${p.content_hash}::text, ${p.revision_hint}::text, ${p.late}::boolean
          from next, outcome
          returning id, reference
        ),
        initiative_rows as (
          insert into initiatives (submission_id, campaign_id, agency_id, position, title_key, ${FIELD_COLUMNS},
            status)
          select submission.id, ${p.campaign_id}::bigint, ${p.agency_id}::bigint, r.position, r.title_key,
            ${FIELD_VALUES}, ${p.initiative_status}::text
          from submission, jsonb_to_recordset(${p.initiatives}::jsonb) as r(position int, title_key text,
            ${FIELD_TYPES})
          on conflict do nothing
        ),
        result_rows as (
          insert into initiative_results (submission_id, position, title, status, outcome)
          select submission.id, r.position, r.title, r.status, r.outcome
          from submission, jsonb_to_recordset(${p.results}::jsonb) as r(position int, title text, status text,
            outcome text)
          on conflict do nothing
        )
        select id::text, reference from submission`.compile(db),
  }),
);

/**
 * Record a parsed form in one statement; returns its submission. Throws when the attachment is gone (no row
 * to attach the submission to).
 */
export async function recordForm(db: Db, form: RecordedForm): Promise<{ id: string; reference: string }> {
  const [row] = await recordQuery(db, {
    ...form.submission,
    parse_result: JSON.stringify(form.parseResult),
    parse_ms: form.parseMs,
    drawing_kind: form.drawing?.kind ?? null,
    drawing: form.drawing ? JSON.stringify(form.drawing.rendering) : null,
    reference_prefix: form.referencePrefix,
    initiatives: JSON.stringify(form.initiatives),
    initiative_status: form.initiativeStatus,
    results: JSON.stringify(form.results),
  });
  if (!row) throw new Error(`attachment ${form.submission.attachment_id} is gone: no submission recorded`);
  return row;
}
