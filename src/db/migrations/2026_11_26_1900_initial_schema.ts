import { type Kysely, sql } from 'kysely';

// The whole registry's first schema. Frozen: later changes go in new, later-dated migrations.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('year', 'integer', (c) => c.notNull().check(sql`year between 2000 and 2100`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('inbox_address', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Asia/Ho_Chi_Minh'))
    // Deadlines are calendar days in the campaign's time zone: "before 31/7" means by the end of that day there.
    .addColumn('registration_deadline', 'date', (c) => c.notNull())
    .addColumn('results_deadline', 'date', (c) => c.notNull())
    .addColumn('reminder_offsets_days', sql`integer[]`, (c) => c.notNull())
    .addColumn('overdue_offsets_days', sql`integer[]`, (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaigns_deadlines_ordered', sql`registration_deadline <= results_deadline`)
    .execute();

  await db.schema
    .createTable('campaign_quotas')
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
    .addColumn('agency_kind', 'text', (c) => c.notNull())
    .addColumn('minimum', 'integer', (c) => c.notNull().check(sql`minimum >= 0`))
    .addPrimaryKeyConstraint('campaign_quotas_pkey', ['campaign_id', 'agency_kind'])
    .addCheckConstraint(
      'campaign_quotas_kind',
      sql`agency_kind in ('department', 'district', 'commune', 'ward')`,
    )
    .execute();

  await db.schema
    .createTable('agencies')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique().check(sql`code ~ '^[a-z0-9][a-z0-9-]*$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('department', 'district', 'commune', 'ward')`),
    )
    // The registry's own minimum, used only where the campaign sets no quota for the agency's kind.
    .addColumn('registry_quota', 'integer', (c) => c.check(sql`registry_quota >= 0`))
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('agency_addresses')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_id', 'bigint', (c) => c.notNull().references('agencies.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) =>
      c.notNull().unique().check(sql`email = lower(email) and email like '%_@_%'`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('agency_addresses_agency').on('agency_addresses').column('agency_id').execute();

  await db.schema
    .createTable('mailbox_state')
    .addColumn('mailbox', 'text', (c) => c.primaryKey())
    .addColumn('uidvalidity', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_poll_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mailbox', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'bigint', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('raw_sha256', 'text', (c) => c.notNull().check(sql`raw_sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('raw', 'bytea')
    .addColumn('raw_size', 'integer', (c) => c.notNull().check(sql`raw_size >= 0`))
    .addColumn('from_address', 'text')
    .addColumn('from_name', 'text')
    .addColumn('reply_to', 'text')
    .addColumn('return_path', 'text')
    .addColumn('subject', 'text')
    .addColumn('sent_at', 'timestamptz')
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('in_reply_to', 'text')
    .addColumn('authentication_results', 'text')
    .addColumn('auth_verdict', 'text', (c) =>
      c.notNull().defaultTo('none').check(sql`auth_verdict in ('pass', 'fail', 'none')`),
    )
    .addColumn('is_automatic', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('agency_id', 'bigint', (c) => c.references('agencies.id'))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('received')
        .check(sql`state in ('received', 'processed', 'needs_review', 'rejected')`),
    )
    .addColumn('review_reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('reject_reason', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('messages_mailbox_uid', ['mailbox', 'uidvalidity', 'uid'])
    .execute();
  // Message-ID is the natural key of a message wherever it was delivered; without one, the bytes are.
  await db.schema
    .createIndex('messages_message_id')
    .unique()
    .on('messages')
    .column('message_id')
    .where(sql.ref('message_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('messages_raw_sha256')
    .unique()
    .on('messages')
    .column('raw_sha256')
    .where(sql.ref('message_id'), 'is', null)
    .execute();
  await db.schema.createIndex('messages_agency').on('messages').column('agency_id').execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('part', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull().check(sql`size >= 0`))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addColumn('nested', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('state', 'text', (c) =>
      c
        .notNull()
        .defaultTo('pending')
        .check(sql`state in ('pending', 'parsed', 'rejected', 'failed', 'skipped')`),
    )
    .addColumn('reason_code', 'text')
    .addColumn('error_message', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parsed_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('attachments_message_sha256', ['message_id', 'sha256'])
    .addCheckConstraint(
      'attachments_terminal_reason',
      sql`(state in ('rejected', 'failed')) = (reason_code is not null)`,
    )
    .execute();
  await db.schema.createIndex('attachments_sha256').on('attachments').column('sha256').execute();

  await db.schema
    .createTable('submissions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('agency_id', 'bigint', (c) => c.references('agencies.id'))
    .addColumn('attachment_id', 'bigint', (c) =>
      c.notNull().unique().references('attachments.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('registration', 'results_report')`))
    .addColumn('form_agency_code', 'text')
    .addColumn('form_agency_name', 'text')
    .addColumn('form_year', 'integer')
    .addColumn('status', 'text', (c) =>
      c
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'pending_review', 'superseded', 'duplicate')`),
    )
    .addColumn('review_reasons', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('supersedes_id', 'bigint', (c) => c.references('submissions.id'))
    .addColumn('warnings', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('received_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('submissions_campaign_agency')
    .on('submissions')
    .columns(['campaign_id', 'agency_id'])
    .execute();

  const textFields = [
    'summary',
    'necessity',
    'expected_results',
    'products',
    'beneficiaries',
    'benefits',
    'timeline',
    'lead_unit',
    'notes',
  ] as const;
  let initiatives = db.schema
    .createTable('initiatives')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('submission_id', 'bigint', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('campaign_id', 'bigint', (c) => c.notNull().references('campaigns.id'))
    .addColumn('agency_id', 'bigint', (c) => c.references('agencies.id'))
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`position >= 1`))
    .addColumn('title', 'text', (c) => c.notNull())
    // The title folded (no diacritics, lower case, single spaces): what re-submissions and results match on.
    .addColumn('title_key', 'text', (c) => c.notNull());
  for (const field of textFields) initiatives = initiatives.addColumn(field, 'text');
  await initiatives
    .addColumn('start_month', 'text', (c) => c.check(sql`start_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
    .addColumn('end_month', 'text', (c) => c.check(sql`end_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('active').check(sql`status in ('active', 'pending_review', 'superseded')`),
    )
    .addColumn('superseded_by_id', 'bigint', (c) => c.references('initiatives.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('initiatives_submission_position', ['submission_id', 'position'])
    .execute();
  // One active initiative per agency, campaign and title: a corrected re-submission replaces, never doubles.
  await db.schema
    .createIndex('initiatives_active_title')
    .unique()
    .on('initiatives')
    .columns(['campaign_id', 'agency_id', 'title_key'])
    .where(sql.ref('status'), '=', 'active')
    .execute();

  await db.schema
    .createTable('initiative_results')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('submission_id', 'bigint', (c) => c.notNull().references('submissions.id').onDelete('cascade'))
    .addColumn('initiative_id', 'bigint', (c) => c.references('initiatives.id'))
    .addColumn('position', 'integer', (c) => c.notNull().check(sql`position >= 1`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('completed', 'in_progress', 'not_started', 'unknown')`),
    )
    .addColumn('outcome', 'text')
    .addColumn('match_score', 'real')
    .addColumn('needs_review', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('initiative_results_submission_position', ['submission_id', 'position'])
    .execute();
  await db.schema
    .createIndex('initiative_results_initiative')
    .on('initiative_results')
    .column('initiative_id')
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('acknowledgement', 'reminder', 'overdue', 'digest', 'notice')`),
    )
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('to_addresses', sql`text[]`, (c) => c.notNull().check(sql`cardinality(to_addresses) > 0`))
    .addColumn('cc_addresses', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('headers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('message_id', 'bigint', (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('agency_id', 'bigint', (c) => c.references('agencies.id'))
    .addColumn('campaign_id', 'bigint', (c) => c.references('campaigns.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'sent', 'failed')`),
    )
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('smtp_message_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .column('created_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('outbox_attachments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('outbox_id', 'bigint', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox_attachments',
    'outbox',
    'initiative_results',
    'initiatives',
    'submissions',
    'attachments',
    'messages',
    'mailbox_state',
    'agency_addresses',
    'agencies',
    'campaign_quotas',
    'campaigns',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
