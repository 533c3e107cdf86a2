// The closed vocabularies of the registry. The database's check constraints list the same values.

export const AGENCY_KINDS = ['department', 'district', 'commune', 'ward'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

const MESSAGE_STATES = ['received', 'processed', 'needs_review', 'rejected'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

const AUTH_VERDICTS = ['pass', 'fail', 'none'] as const;
export type AuthVerdict = (typeof AUTH_VERDICTS)[number];

const ATTACHMENT_STATES = ['pending', 'parsed', 'rejected', 'failed', 'skipped'] as const;
export type AttachmentState = (typeof ATTACHMENT_STATES)[number];

const FORM_KINDS = ['registration', 'results_report'] as const;
export type FormKind = (typeof FORM_KINDS)[number];

const SUBMISSION_STATUSES = ['active', 'pending_review', 'superseded', 'duplicate'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

const INITIATIVE_STATUSES = ['active', 'pending_review', 'superseded', 'withdrawn'] as const;
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number];

const RESULT_STATUSES = ['completed', 'in_progress', 'not_started', 'unknown'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

const OUTBOX_KINDS = ['acknowledgement', 'reminder', 'overdue', 'digest', 'notice'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

const PARSED_KINDS = ['registration', 'results_report', 'not_a_form'] as const;
export type ParsedKind = (typeof PARSED_KINDS)[number];

/** Staff's assessment of a reported initiative for the PAR-index assessment. */
export const ASSESSMENT_VERDICTS = ['effective', 'not_effective', 'not_assessed'] as const;
export type AssessmentVerdict = (typeof ASSESSMENT_VERDICTS)[number];
