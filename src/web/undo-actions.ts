// Each action that can be taken back in one click: the shape of its subject, the form that takes it back, and the
// page showing what it changed. undo-link.ts puts one in a notice's address and reads it back.

export interface Undo {
  /** The shape of the subject the address may carry. */
  subject: RegExp;
  /** Where the undoing form posts, and its fields. */
  form: (subject: string) => { action: string; fields: Record<string, string> };
  /** What was changed: the page showing it (record-pages.ts finds a record's place by its number), in words. */
  changed: (subject: string) => { href: string; text: string };
}

const REFERENCE = /^[A-Z]{2,10}-\d{4}-\d{1,18}$/;
const ID = /^\d{1,18}$/;

const theSubmission = (reference: string) => ({
  href: `/submissions/${reference}`,
  text: `Xem hồ sơ ${reference}`,
});
const theInitiative = (id: string) => ({ href: `/initiatives/${id}`, text: 'Xem sáng kiến' });
const theResult = (id: string) => ({ href: `/results/${id}`, text: 'Xem báo cáo kết quả' });

/** A review item (`message-12`, `file-7`, `result-3`): its kind and number. */
const itemOf = (s: string) => {
  const [kind = '', id = ''] = s.split('-');
  return { kind, id };
};

export const UNDO: Record<string, Undo> = {
  unconfirm: {
    subject: REFERENCE,
    form: (reference) => ({ action: '/review/unconfirm', fields: { reference } }),
    changed: theSubmission,
  },
  count_as_mail: {
    subject: REFERENCE,
    form: (reference) => ({ action: '/review/count-as', fields: { reference, rule: 'mail' } }),
    changed: theSubmission,
  },
  // A dismissal, a forgery verdict too (a dismissal of the mail that says so).
  restore_item: {
    subject: /^(message|file|result)-\d{1,18}$/,
    form: (s) => ({ action: '/review/restore', fields: itemOf(s) }),
    changed: (s) => {
      const { kind, id } = itemOf(s);
      return kind === 'message'
        ? { href: `/messages/${id}`, text: 'Xem thư' }
        : kind === 'file'
          ? { href: `/files/${id}/mail`, text: 'Xem tệp' }
          : theResult(id);
    },
  },
  unlink: {
    subject: ID,
    form: (id) => ({ action: `/results/${id}/unlink`, fields: {} }),
    changed: theResult,
  },
  undo_correction: {
    subject: ID,
    form: (id) => ({ action: `/corrections/${id}/undo`, fields: {} }),
    changed: (id) => ({ href: `/corrections/${id}`, text: 'Xem mục đã sửa' }),
  },
  restore_initiative: {
    subject: ID,
    form: (id) => ({ action: `/initiatives/${id}/restore`, fields: {} }),
    changed: theInitiative,
  },
  unassess: {
    subject: ID,
    form: (id) => ({ action: `/initiatives/${id}/unassess`, fields: {} }),
    changed: theInitiative,
  },
};

export type UndoKey = keyof typeof UNDO;
