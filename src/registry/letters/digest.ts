import type { Config } from '../../config.js';
import { latestCampaign } from '../../db/campaign.repository.js';
import type { Database } from '../../db/database.js';
import { lastDigestAt } from '../../db/outbox.repository.js';
import { submissionsSince } from '../../db/submission.repository.js';
import { agencyDue, dueWords } from '../../domain/deadlines.js';
import { AGENCY_KIND_LABEL, SUBMISSION_STATUS_LABEL } from '../../domain/labels.js';
import { progressPercent } from '../../domain/quota.js';
import { daysUntil, formatDate, formatDateTime, formatMomentInWords, localDay } from '../../domain/time.js';
import type { Logger } from '../../logger.js';
import type { MailRenderer } from '../../mail/render.js';
import type { Queues } from '../../queue/queues.js';
import { addressesToCheck } from '../intake/bounces.js';
import { campaignStanding } from '../views/campaign-standing.js';
import { reportFile } from '../views/report.js';
import { itemsForReview } from '../views/review.js';
import { queueLetter } from './queue-letter.js';

/** A bar drawn with table cells and inline styles, which every mail client renders. */
function bar(done: number, total: number) {
  const pct = progressPercent(done, total);
  return {
    done,
    total,
    pct,
    rest: 100 - pct,
    color: pct >= 100 ? '#15803d' : pct >= 50 ? '#d97706' : '#b91c1c',
  };
}

/** Everything the staff digest shows, from the database as it is now. */
export async function buildDigest(deps: { db: Database; config: Config }, now: Date) {
  const { db } = deps;
  const campaign = await latestCampaign(db);
  if (!campaign) return null;
  const zone = campaign.time_zone;
  const since = await lastDigestAt(db);
  const standing = await campaignStanding(db, campaign.id);
  // Each item and agency linked to its page in the staff console, where staff act on it.
  const consoleUrl = deps.config.CONSOLE_URL;
  const link = (path: string) => (consoleUrl ? `${consoleUrl}${path}` : null);
  const agencies = standing.agencies.map((a) => ({
    name: a.name,
    link: link(`/agencies/${encodeURIComponent(a.code)}`),
    kind: a.kind,
    kindName: AGENCY_KIND_LABEL[a.kind],
    // Communes and wards counted toward a district, with what each registered.
    members: a.members.map((m) => `${m.name} (${m.registered})`).join(', '),
    quota: a.required,
    registered: a.registered,
    reported: a.reported,
    shortBy: a.shortBy,
    last: a.lastSubmissionAt ? formatDate(a.lastSubmissionAt, zone) : '',
  }));
  // Initiatives counted toward the quotas against the quotas (an agency's surplus does not fill another's gap),
  // overall and per kind; how many agencies meet their quota is said beside it, in its own words.
  const progress = [
    {
      label: 'Sáng kiến đã đăng ký / số lượng tối thiểu (tất cả cơ quan, đơn vị)',
      ...bar(standing.total.countedTowardQuota, standing.total.required),
      agencies: `${standing.total.met}/${standing.total.agencies} cơ quan, đơn vị đạt số lượng tối thiểu`,
    },
    ...standing.byKind.map((k) => ({
      label: `Sáng kiến đã đăng ký / số lượng tối thiểu (${AGENCY_KIND_LABEL[k.kind]})`,
      ...bar(k.tally.countedTowardQuota, k.tally.required),
      agencies: `${k.tally.met}/${k.tally.agencies} cơ quan, đơn vị đạt`,
    })),
  ];

  const afterRegistration = localDay(now, zone) > campaign.registration_deadline;
  const review = await itemsForReview(db);
  const addresses = await addressesToCheck(db);
  const newSubmissions = (await submissionsSince(db, since)).map((s) => ({
    reference: s.reference,
    // A form naming another agency than its sender's (held until staff confirm it) says both.
    agency: [
      s.agency_name ?? s.from_address ?? '',
      s.named_agency_name ? `(biểu ghi ${s.named_agency_name})` : '',
    ]
      .filter(Boolean)
      .join(' '),
    what:
      s.kind === 'registration'
        ? `Biểu đăng ký, ${s.initiatives} sáng kiến`
        : `Báo cáo kết quả, ${s.results} sáng kiến`,
    status: SUBMISSION_STATUS_LABEL[s.status],
    // Came after the agency's deadline: it still counts, and staff see it at a glance.
    late: s.late,
    receivedAt: formatDateTime(s.received_at, zone),
  }));
  return {
    campaign,
    view: {
      office: deps.config.OFFICE_NAME,
      // The staff's own mail: no advice to agencies at its foot.
      forStaff: true,
      heading: `Tổng hợp tình hình sáng kiến CCHC năm ${campaign.year}`,
      today: formatDate(now, zone),
      // When the previous digest went out: the forms listed as new came after it.
      since: since ? formatMomentInWords(since, zone) : null,
      year: campaign.year,
      inboxAddress: campaign.inbox_address,
      // The announced day, with the last on-time day when a day off moves it; days are counted to the latter,
      // so a day whose forms are on time is never said to be past the deadline.
      deadlines: (
        [
          ['Hạn đăng ký', 'registration'],
          ['Hạn báo cáo kết quả', 'results_report'],
        ] as const
      ).map(([label, kind]) => {
        const due = agencyDue(campaign, null, kind);
        const words = dueWords(due, localDay(now, zone));
        const daysLeft = daysUntil(due.lastDay, now, zone);
        return {
          label,
          date: words.onTimeUntil ? `${words.date} (${words.onTimeUntil})` : words.date,
          daysLeft,
          lastDay: daysLeft === 0,
          passed: daysLeft < 0,
          overdueBy: -daysLeft,
        };
      }),
      progress,
      results: afterRegistration
        ? {
            label: 'Sáng kiến đã có báo cáo kết quả',
            ...bar(standing.total.reported, standing.total.registered),
          }
        : null,
      newSubmissions,
      review: {
        count: review.length,
        messages: review
          .filter((i) => i.kind === 'message')
          .map((m) => ({ from: m.from, subject: m.what, why: m.why, link: link(`/review#message-${m.id}`) })),
        files: review
          .filter((i) => i.kind === 'file')
          .map((f) => ({ filename: f.what, from: f.from, why: f.why, link: link(`/review#file-${f.id}`) })),
        results: review
          .filter((i) => i.kind === 'result')
          .map((r) => ({
            title: r.what,
            agency: r.from,
            reference: r.reference ?? '',
            link: link(`/review#result-${r.id}`),
          })),
      },
      // Registered addresses mail came back from: staff check them with the agency, then clear the flag.
      bounces: {
        count: addresses.bounced.length,
        addresses: addresses.bounced.map((b) => ({
          agency: b.agencyName,
          email: b.email,
          date: formatDate(b.bouncedAt, zone),
          reason: b.reason,
        })),
        unreachable: addresses.unreachable.map((a) => a.name),
      },
      agencies,
      short: standing.total.short,
      total: standing.total.agencies,
    },
  };
}

/** Whether a digest has something for the staff: forms arrived since the last one, or items waiting for a person. */
function worthSending(view: {
  newSubmissions: readonly unknown[];
  review: { count: number };
  bounces: { count: number };
}): boolean {
  return view.newSubmissions.length > 0 || view.review.count > 0 || view.bounces.count > 0;
}

export interface DigestDeps {
  db: Database;
  config: Config;
  log: Logger;
  queues: Queues;
  renderer: MailRenderer;
}

/**
 * The staff digest in the outbox, with the consolidated report attached. `key` makes it once per day for the
 * scheduled run; an on-demand digest passes its own.
 */
export async function sendDigest(deps: DigestDeps, now: Date, key?: string): Promise<{ queued: boolean }> {
  const digest = await buildDigest(deps, now);
  if (!digest || deps.config.STAFF_EMAILS.length === 0) return { queued: false };
  const { campaign, view } = digest;
  // With DIGEST_WHEN=changes the scheduled digest stays away on a day with nothing new since the last one and
  // nothing waiting for a person (items to review, addresses that bounced); one asked for (a key) always goes.
  if (key === undefined && deps.config.DIGEST_WHEN === 'changes' && !worthSending(view)) {
    deps.log.info({ campaign: campaign.code }, 'digest not sent: nothing new and nothing waiting');
    return { queued: false };
  }
  const rendered = deps.renderer.render('digest', view);
  const report = await reportFile(deps.db, campaign, 'xlsx', now, { issuer: deps.config.REPORT_ISSUER });
  const result = await queueLetter(deps, {
    kind: 'digest',
    dedupeKey: key ?? `digest-${campaign.code}-${localDay(now, campaign.time_zone)}`,
    to: deps.config.STAFF_EMAILS,
    rendered,
    origin: 'auto-generated',
    campaignId: campaign.id,
    files: [
      {
        filename: `Tong hop sang kien CCHC ${campaign.year} - ${view.today.replaceAll('/', '-')}.xlsx`,
        contentType: report.contentType,
        bytes: report.bytes,
      },
    ],
  });
  if ('limited' in result || !result.created) return { queued: false };
  deps.log.info({ outboxId: result.id }, 'digest queued');
  return { queued: true };
}
