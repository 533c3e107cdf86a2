import type { Migration } from 'kysely';
import * as initialSchema from './2026_11_26_1900_initial_schema.js';
import * as pipelineState from './2026_11_26_2000_pipeline_state.js';
import * as parseDuration from './2026_11_26_2100_parse_duration.js';
import * as replyDecision from './2026_11_26_2200_reply_decision.js';
import * as storageTuning from './2026_11_26_2300_storage_tuning.js';
import * as staffAccounts from './2026_11_30_2130_staff_accounts.js';
import * as intakeLimits from './2026_11_30_2140_intake_limits.js';
import * as auditAndCorrections from './2026_11_30_2200_audit_and_corrections.js';
import * as reviewReasonChecks from './2026_11_30_2210_review_reason_checks.js';
import * as ledger from './2026_11_30_2220_ledger.js';
import * as agencyParent from './2026_11_30_2230_agency_parent.js';
import * as deadlines from './2026_11_30_2300_deadlines.js';
import * as addressBounces from './2026_11_30_2310_address_bounces.js';
import * as campaignLetter from './2026_11_30_2320_campaign_letter.js';
import * as initiativeWithdrawal from './2026_11_30_2330_initiative_withdrawal.js';
import * as fileDecisions from './2026_12_01_0100_file_decisions.js';
import * as senderTrust from './2026_12_01_0900_sender_trust.js';
import * as loginThrottle from './2026_12_02_0900_login_throttle.js';

/** Every migration, by name; the names sort in the order they run. */
import * as unansweredMessages from './2026_12_07_1600_unanswered_messages.js';
import * as assessments from './2026_12_08_0900_assessments.js';
import * as documentRenderings from './2026_12_08_1000_document_renderings.js';
import * as outboxDrain from './2026_12_09_0900_outbox_drain.js';
import * as outboxRecipientRoom from './2026_12_10_0900_outbox_recipient_room.js';
import * as lz4Columns from './2026_12_10_1000_lz4_columns.js';
import * as dropOutboxRecipients from './2026_12_11_0900_drop_outbox_recipients.js';

export const migrations: Record<string, Migration> = {
  '2026_11_26_1900_initial_schema': initialSchema,
  '2026_11_26_2000_pipeline_state': pipelineState,
  '2026_11_26_2100_parse_duration': parseDuration,
  '2026_11_26_2200_reply_decision': replyDecision,
  '2026_11_26_2300_storage_tuning': storageTuning,
  '2026_11_30_2130_staff_accounts': staffAccounts,
  '2026_11_30_2140_intake_limits': intakeLimits,
  '2026_11_30_2200_audit_and_corrections': auditAndCorrections,
  '2026_11_30_2210_review_reason_checks': reviewReasonChecks,
  '2026_11_30_2220_ledger': ledger,
  '2026_11_30_2230_agency_parent': agencyParent,
  '2026_11_30_2300_deadlines': deadlines,
  '2026_11_30_2310_address_bounces': addressBounces,
  '2026_11_30_2320_campaign_letter': campaignLetter,
  '2026_11_30_2330_initiative_withdrawal': initiativeWithdrawal,
  '2026_12_01_0100_file_decisions': fileDecisions,
  '2026_12_01_0900_sender_trust': senderTrust,
  '2026_12_02_0900_login_throttle': loginThrottle,
  '2026_12_07_1600_unanswered_messages': unansweredMessages,
  '2026_12_08_0900_assessments': assessments,
  '2026_12_08_1000_document_renderings': documentRenderings,
  '2026_12_09_0900_outbox_drain': outboxDrain,
  '2026_12_10_0900_outbox_recipient_room': outboxRecipientRoom,
  '2026_12_10_1000_lz4_columns': lz4Columns,
  '2026_12_11_0900_drop_outbox_recipients': dropOutboxRecipients,
};
