import { bestTitleMatch, type SAME_TITLE } from './title-match.js';

/**
 * One agency's submissions in one campaign, as the ledger reads them: the registry's state is computed from
 * all of them together, in order of arrival, so it never depends on the order in which jobs finished.
 */
export interface LedgerSubmission {
  id: string;
  kind: 'registration' | 'results_report';
  /** Held for a person (unknown sender, mismatch, failed authentication): counts nothing. */
  held: boolean;
  /** The message it came in, for copies within one mail. */
  messageId: string;
  /** Arrival order: arrival time, then IMAP UID, then .docx before .doc before PDF, then the file's place. */
  order: readonly number[];
  /** The parsed content, normalised; equal hashes are the same form in another file or format. */
  contentHash: string | null;
  /** What the form, the subject or the file name says it is. */
  revisionHint: 'revision' | 'supplement' | null;
  /** `withdrawn`: a person took it out; it counts for nothing until restored. */
  initiatives: readonly { id: string; position: number; title: string; withdrawn?: boolean }[];
  results: readonly { id: string; position: number; title: string; manualInitiativeId: string | null }[];
}

export interface LedgerOutcome {
  submissions: Map<
    string,
    {
      status: 'active' | 'superseded' | 'duplicate' | 'pending_review';
      duplicateOf: string | null;
      supersedes: string | null;
    }
  >;
  initiatives: Map<
    string,
    { status: 'active' | 'superseded' | 'pending_review' | 'withdrawn'; supersededBy: string | null }
  >;
  results: Map<
    string,
    { initiativeId: string | null; needsReview: boolean; superseded: boolean; score: number | null }
  >;
}

/** Arrival order: compares two `order` keys, a missing place counting as 0. */
export function compareOrder(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const byOrder = (a: { order: readonly number[]; id: string }, b: { order: readonly number[]; id: string }) =>
  compareOrder(a.order, b.order) || Number(a.id) - Number(b.id);

/** What the copy rule reads of a submission (a LedgerSubmission has it all). */
export interface CopyFacts {
  id: string;
  kind: string;
  held: boolean;
  messageId: string;
  order: readonly number[];
  contentHash: string | null;
}

/**
 * Whether `s` is a copy of `o`, an earlier submission that is no copy itself: the same kind and the same content
 * (the same form in another file or format). A held file is a copy only of a held one in the same mail: it must not
 * hide behind a counted original (a forged copy stays on the review list), nor a genuine form behind a held one.
 */
function repeats(s: CopyFacts, o: CopyFacts): boolean {
  return (
    s.contentHash !== null &&
    o.kind === s.kind &&
    o.contentHash === s.contentHash &&
    o.held === s.held &&
    (!s.held || o.messageId === s.messageId)
  );
}

/**
 * The original a submission repeats: the earliest of `others` (submissions that are no copies) that came strictly
 * before it and that it repeats. An order key may be a prefix of the full one (arrival time and UID only): then
 * only the files of earlier mails come before it.
 */
export function originalOf<T extends CopyFacts>(s: CopyFacts, others: readonly T[]): T | undefined {
  return [...others]
    .filter((o) => o.id !== s.id && compareOrder(o.order, s.order) < 0)
    .sort(byOrder)
    .find((o) => repeats(s, o));
}

/** Rank of a file's format among copies in one mail: the Word file is the original. */
function formatRank(filename: string, contentType: string): number {
  const f = `${filename} ${contentType}`.toLowerCase();
  if (/\.docx\b|wordprocessingml/.test(f)) return 0;
  if (/\.doc\b|msword/.test(f)) return 1;
  if (/\.pdf\b|application\/pdf/.test(f)) return 2;
  return 3;
}

/**
 * A file's place in the order of arrival: its mail's arrival time and IMAP UID, then .docx before .doc before PDF
 * (the Word file is the original of its copies), then its place among the files. Without the file: its mail's
 * place only, which every file of an earlier mail precedes.
 */
export function arrivalOrder(
  mail: { receivedAt: Date; uid: string | number },
  file?: { filename: string; contentType: string; attachmentId: string | number },
): number[] {
  const at = [mail.receivedAt.getTime(), Number(mail.uid)];
  return file ? [...at, formatRank(file.filename, file.contentType), Number(file.attachmentId)] : at;
}

/**
 * The registry's state for one agency and campaign, from all its submissions. The rules (README, "What
 * counts"), applied in order of arrival:
 * - a file whose content equals an earlier counted one (or a held one in the same mail) is a copy of it;
 * - a registration that says it is a revision, or shares an initiative with the active ones, replaces the
 *   agency's earlier active registration as a whole; one that says "bổ sung" or shares nothing adds to it, and
 *   a repeated title replaces its namesake (one active initiative per title);
 * - each result links to the active initiative with the closest title (a person's link is kept while its
 *   initiative, or the one that replaced it, is active); a later report replaces an earlier one per initiative.
 * Held submissions count nothing and link nothing. Pure: the same submissions give the same state.
 */
export function planLedger(all: readonly LedgerSubmission[], threshold?: typeof SAME_TITLE): LedgerOutcome {
  const subs = [...all].sort(byOrder);
  const out: LedgerOutcome = { submissions: new Map(), initiatives: new Map(), results: new Map() };

  // Copies: of the earliest identical counted submission, or (held) of an identical held one in the same mail.
  const originals: LedgerSubmission[] = [];
  const copies = new Set<string>();
  for (const s of subs) {
    const original = originals.find((o) => repeats(s, o));
    if (original) {
      copies.add(s.id);
      out.submissions.set(s.id, { status: 'duplicate', duplicateOf: original.id, supersedes: null });
      for (const i of s.initiatives) out.initiatives.set(i.id, { status: 'superseded', supersededBy: null });
      for (const r of s.results)
        out.results.set(r.id, { initiativeId: null, needsReview: false, superseded: true, score: null });
    } else originals.push(s);
  }

  // Registrations, in order: which initiatives are active at the end, and what replaced what.
  type Active = { id: string; title: string; submissionId: string };
  let active: Active[] = [];
  const supersededBy = new Map<string, string | null>();
  const supersedes = new Map<string, string>();
  for (const s of subs) {
    if (copies.has(s.id) || s.kind !== 'registration') continue;
    if (s.held) {
      for (const i of s.initiatives)
        out.initiatives.set(i.id, { status: 'pending_review', supersededBy: null });
      continue;
    }
    const live = s.initiatives.filter((i) => !i.withdrawn);
    const shares = live.some((i) => bestTitleMatch(i.title, active, threshold));
    const revision = s.revisionHint === 'revision' || (s.revisionHint !== 'supplement' && shares);
    const ordered = [...live].sort((a, b) => a.position - b.position);
    if (revision) {
      // The whole earlier registration goes; an initiative of it that the new one repeats points to its successor.
      for (const old of active) {
        const successor = bestTitleMatch(old.title, ordered, threshold)?.match.id ?? null;
        supersededBy.set(old.id, successor);
        if (old.submissionId !== s.id) supersedes.set(s.id, old.submissionId);
      }
      active = [];
    }
    for (const i of ordered) {
      const namesake = bestTitleMatch(i.title, active, threshold);
      if (namesake) {
        supersededBy.set(namesake.match.id, i.id);
        if (namesake.match.submissionId !== s.id) supersedes.set(s.id, namesake.match.submissionId);
        active.splice(active.indexOf(namesake.match), 1);
      }
      active.push({ id: i.id, title: i.title, submissionId: s.id });
    }
  }
  const activeIds = new Set(active.map((a) => a.id));
  for (const s of subs) {
    if (copies.has(s.id) || s.kind !== 'registration' || s.held) continue;
    for (const i of s.initiatives)
      out.initiatives.set(i.id, {
        status: i.withdrawn ? 'withdrawn' : activeIds.has(i.id) ? 'active' : 'superseded',
        supersededBy: activeIds.has(i.id) ? null : (supersededBy.get(i.id) ?? null),
      });
    const stillActive = s.initiatives.some((i) => activeIds.has(i.id)) || s.initiatives.length === 0;
    out.submissions.set(s.id, {
      status: stillActive ? 'active' : 'superseded',
      duplicateOf: null,
      supersedes: supersedes.get(s.id) ?? null,
    });
  }

  // Results: linked against the final active initiatives; the latest report wins per initiative.
  const follow = (id: string): string | null => {
    const seen = new Set<string>();
    let at: string | null = id;
    while (at && !activeIds.has(at) && !seen.has(at)) {
      seen.add(at);
      at = supersededBy.get(at) ?? null;
    }
    return at && activeIds.has(at) ? at : null;
  };
  const latestFor = new Map<string, string>();
  for (const s of subs) {
    if (copies.has(s.id) || s.kind !== 'results_report') continue;
    if (s.held) {
      out.submissions.set(s.id, { status: 'pending_review', duplicateOf: null, supersedes: null });
      for (const r of s.results)
        out.results.set(r.id, { initiativeId: null, needsReview: false, superseded: false, score: null });
      continue;
    }
    for (const r of s.results) {
      const manual = r.manualInitiativeId ? follow(r.manualInitiativeId) : null;
      const match = manual ? null : bestTitleMatch(r.title, active, threshold);
      const initiativeId = manual ?? match?.match.id ?? null;
      out.results.set(r.id, {
        initiativeId,
        needsReview: initiativeId === null,
        superseded: false,
        score: manual ? null : (match?.score ?? null),
      });
      if (initiativeId) {
        const earlier = latestFor.get(initiativeId);
        if (earlier) {
          const e = out.results.get(earlier);
          if (e) e.superseded = true;
        }
        latestFor.set(initiativeId, r.id);
      }
    }
  }
  for (const s of subs) {
    if (copies.has(s.id) || s.kind !== 'results_report' || s.held) continue;
    const live = s.results.some((r) => !out.results.get(r.id)?.superseded) || s.results.length === 0;
    out.submissions.set(s.id, {
      status: live ? 'active' : 'superseded',
      duplicateOf: null,
      supersedes: null,
    });
  }
  // Held registrations keep their status.
  for (const s of subs)
    if (!out.submissions.has(s.id))
      out.submissions.set(s.id, { status: 'pending_review', duplicateOf: null, supersedes: null });
  return out;
}
