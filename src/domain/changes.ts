import { DateTime } from 'luxon';
import type { FormKind, SubmissionStatus } from './kinds.js';
import { ACTION_LABEL, labelOf } from './labels.js';

/** Where "since yesterday" starts: 00:00 of the day before `now`, in the campaign's time zone. */
export function startOfYesterday(now: Date, timeZone: string): Date {
  return DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').minus({ days: 1 }).toJSDate();
}

/** What changed in a campaign over a time: the forms that arrived, and what people did, in words. */
export interface Changes {
  forms: { total: number; registrations: number; reports: number; late: number; held: number };
  /** Each kind of action people took, by its name in the history, with how many times. */
  actions: { label: string; count: number }[];
}

/**
 * The overview's "what changed": forms counted by kind, how many came late (`submissions.late`, decided by
 * `isLateFor`) and how many wait for a person; people's actions named as the history names them, most frequent first.
 */
export function changesOf(
  forms: readonly { kind: FormKind; status: SubmissionStatus; late: boolean; n: number }[],
  actions: readonly { action: string; n: number }[],
): Changes {
  const sum = (f: (r: (typeof forms)[number]) => boolean) => forms.filter(f).reduce((n, r) => n + r.n, 0);
  return {
    forms: {
      total: sum(() => true),
      registrations: sum((r) => r.kind === 'registration'),
      reports: sum((r) => r.kind === 'results_report'),
      late: sum((r) => r.late && (r.status === 'active' || r.status === 'superseded')),
      held: sum((r) => r.status === 'pending_review'),
    },
    actions: [
      ...actions
        .reduce((by, a) => {
          // An action the history has no name for yet is counted, never shown by its code.
          const label = Object.hasOwn(ACTION_LABEL, a.action)
            ? labelOf(ACTION_LABEL, a.action)
            : 'Thay đổi khác';
          return by.set(label, (by.get(label) ?? 0) + a.n);
        }, new Map<string, number>())
        .entries(),
    ]
      .map(([label, count]) => ({ label, count }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'vi')),
  };
}
