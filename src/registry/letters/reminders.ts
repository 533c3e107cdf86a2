import type { Config } from '../../config.js';
import { activeAgencies, agencyRecipients } from '../../db/agency.repository.js';
import { listCampaigns } from '../../db/campaign.repository.js';
import type { Database } from '../../db/database.js';
import { initiativesWithoutResults } from '../../db/initiative.repository.js';
import { usedDedupeKeys } from '../../db/outbox.repository.js';
import { agencyDue, agencyTermsOf, calendarOf, dueWords, hasOwnDeadline } from '../../domain/deadlines.js';
import { AGENCY_KIND_IN_SENTENCE, officeInSentence } from '../../domain/labels.js';
import { type DueReminder, dueReminders } from '../../domain/reminder-schedule.js';
import { formatDate, localDay, twoDigits } from '../../domain/time.js';
import type { Logger } from '../../logger.js';
import type { MailRenderer } from '../../mail/render.js';
import type { Queues } from '../../queue/queues.js';
import { campaignStanding } from '../views/campaign-standing.js';
import { blankForm, contactFor, documentCitation } from './campaign-letter.js';
import { queueLetter } from './queue-letter.js';

export interface PlannedReminder {
  campaign: string;
  agency: string;
  agencyName: string;
  /** Every registered address of the agency that has not bounced, alphabetically. */
  to: string[];
  cc: string[];
  phase: DueReminder['phase'];
  kind: DueReminder['kind'];
  offset: number;
  deadline: string;
  daysLeft: number;
  /** Registration: initiatives required, and still missing; results: initiatives still without a report. */
  required: number;
  missing: number;
  missingTitles: string[];
  dedupeKey: string;
}

/**
 * Who is to be reminded today, and why: for each campaign's reminder due today (the latest point of its
 * schedule reached), each agency still short that has not had that reminder. Nothing is written.
 */
export async function planReminders(
  deps: { db: Database; config: Config },
  now: Date,
): Promise<PlannedReminder[]> {
  const { db, config } = deps;
  const plans: PlannedReminder[] = [];
  const addresses = await agencyRecipients(db);
  for (const campaign of await listCampaigns(db)) {
    const today = localDay(now, campaign.time_zone);
    const schedule = {
      registrationDeadline: campaign.registration_deadline,
      resultsDeadline: campaign.results_deadline,
      beforeDays: campaign.reminder_offsets_days,
      afterDays: campaign.overdue_offsets_days,
      timeZone: campaign.time_zone,
      // Official mail goes out on the campaign's working days (src/domain/reminder-schedule.ts).
      calendar: calendarOf(campaign.calendar),
    };
    const due = dueReminders(schedule, today);
    // An agency the campaign file gives its own deadline is reminded, and told it is overdue, on its own dates.
    const ownDeadline = new Set(
      Object.keys(agencyTermsOf(campaign.agency_terms)).filter((code) => hasOwnDeadline(campaign, code)),
    );
    if (due.length === 0 && ownDeadline.size === 0) continue;
    // An overdue notice tells the agency whom to call: without a contact configured, none goes out.
    const canNotify = contactFor(campaign, config) !== null;
    const progress = (await campaignStanding(db, campaign.id)).agencies;
    const unreported = await initiativesWithoutResults(db, campaign.id);
    const dueFor = (code: string) =>
      ownDeadline.has(code)
        ? dueReminders(
            {
              ...schedule,
              registrationDeadline: agencyDue(campaign, code, 'registration').deadline,
              resultsDeadline: agencyDue(campaign, code, 'results_report').deadline,
            },
            today,
          )
        : due;
    for (const agency of progress) {
      for (const reminder of dueFor(agency.code)) {
        if (reminder.kind === 'overdue' && !canNotify) continue;
        // An agency whose every address bounced gets no reminder: the digest lists it as unreachable instead.
        const to = addresses.get(agency.id)?.reachable ?? [];
        if (to.length === 0) continue;
        let missing = 0;
        let required = 0;
        let missingTitles: string[] = [];
        if (reminder.phase === 'registration') {
          required = agency.required;
          missing = agency.shortBy;
        } else {
          missingTitles = unreported.filter((i) => i.agency_id === agency.id).map((i) => i.title);
          missing = missingTitles.length;
        }
        if (missing === 0) continue;
        plans.push({
          campaign: campaign.code,
          agency: agency.code,
          agencyName: agency.name,
          to,
          // The last reminder and the overdue notice go to the staff too, so a person can call the agency.
          cc: reminder.last || reminder.kind === 'overdue' ? [...config.STAFF_EMAILS] : [],
          phase: reminder.phase,
          kind: reminder.kind,
          offset: reminder.offset,
          deadline: reminder.deadline,
          daysLeft: reminder.daysLeft,
          required,
          missing,
          missingTitles,
          dedupeKey: `${reminder.kind}-${campaign.code}-${reminder.phase}-${reminder.offset}-${agency.code}`,
        });
      }
    }
  }
  const sent = await usedDedupeKeys(
    db,
    plans.map((p) => p.dedupeKey),
  );
  return plans.filter((p) => !sent.has(p.dedupeKey));
}

export interface ReminderDeps {
  db: Database;
  config: Config;
  log: Logger;
  queues: Queues;
  renderer: MailRenderer;
}

/** Put today's reminders in the outbox (once each: the dedupe key is agency, phase, kind and offset). */
export async function sendReminders(deps: ReminderDeps, now: Date): Promise<{ queued: number }> {
  const { db, config, renderer } = deps;
  const plans = await planReminders(deps, now);
  const campaigns = new Map((await listCampaigns(db)).map((c) => [c.code, c]));
  const agencies = new Map((await activeAgencies(db)).map((a) => [a.code, a]));
  let queued = 0;
  for (const plan of plans) {
    const campaign = campaigns.get(plan.campaign);
    const agency = agencies.get(plan.agency);
    if (!campaign || !agency) continue;
    const zone = campaign.time_zone;
    const view = {
      office: config.OFFICE_NAME,
      officeName: officeInSentence(config.OFFICE_NAME),
      contact: contactFor(campaign, config),
      // "Thực hiện Văn bản số 1980/SNV-CCHC ngày 12/7/2021 của Sở Nội vụ" when the campaign file names it.
      document: documentCitation(campaign),
      heading: plan.kind === 'overdue' ? 'Thông báo quá hạn' : 'Nhắc hạn gửi hồ sơ sáng kiến CCHC',
      agencyName: plan.agencyName,
      kindLabel: AGENCY_KIND_IN_SENTENCE[agency.kind],
      // A district's quota counts the communes and wards under it, as the document says.
      withMembers: agency.kind === 'district',
      year: campaign.year,
      results: plan.phase === 'results',
      // The announced day, "chậm nhất ngày 31/7/2021" (an overdue notice asks "khẩn trương").
      due: dueWords({ deadline: plan.deadline, lastDay: plan.deadline }, localDay(now, zone)),
      today: formatDate(now, zone),
      daysLeft: plan.daysLeft,
      // On the deadline day itself: "hôm nay là hạn cuối", never "còn 0 ngày".
      lastDay: plan.daysLeft === 0,
      // Counts as official letters write them: 01, 02.
      required: twoDigits(plan.required),
      registered: twoDigits(plan.required - plan.missing),
      noneYet: plan.required === plan.missing,
      shortBy: twoDigits(plan.missing),
      missingTitles: plan.missingTitles,
      inboxAddress: campaign.inbox_address,
    };
    const rendered = renderer.render(plan.kind === 'overdue' ? 'overdue' : 'reminder', view);
    const result = await queueLetter(deps, {
      kind: plan.kind === 'overdue' ? 'overdue' : 'reminder',
      dedupeKey: plan.dedupeKey,
      to: plan.to,
      cc: plan.cc,
      rendered,
      origin: 'auto-generated',
      agencyId: agency.id,
      campaignId: campaign.id,
      files: [await blankForm(renderer, plan.phase)],
    });
    if ('limited' in result || !result.created) continue;
    queued++;
  }
  deps.log.info({ queued, planned: plans.length }, 'reminders queued');
  return { queued };
}
