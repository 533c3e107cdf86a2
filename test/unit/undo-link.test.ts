import { describe, expect, it } from 'vitest';
import { changedLink, undoForm, undoQuery } from '../../src/web/undo-link.js';

// The person's session secret (their CSRF token), which signs the undo their own action put in the address.
const KEY = 'the session secret of the person who acted';

/** The address an action redirects to, as the next page reads it. */
const redirectedTo = (done: string, what?: string, subject?: string, key = KEY) =>
  Object.fromEntries(
    new URLSearchParams(
      `ok=${done}${undoQuery(what && subject ? { done, undo: { what, subject } as never } : { done }, key)}`,
    ),
  );

describe('"Hoàn tác" after an action', () => {
  it('offers the action that takes it back, posting back to the same page', () => {
    expect(undoForm(redirectedTo('dismissed', 'restore_item', 'file-42'), '/review', KEY)).toEqual({
      action: '/review/restore',
      fields: [
        { name: 'kind', value: 'file' },
        { name: 'id', value: '42' },
        { name: 'back', value: '/review' },
      ],
    });
    expect(
      undoForm(redirectedTo('confirmed', 'unconfirm', 'CCHC-2021-00007'), '/messages/3', KEY)?.action,
    ).toBe('/review/unconfirm');
  });

  it('takes back an assessment and a forgery verdict like every other action', () => {
    expect(undoForm(redirectedTo('assessed', 'unassess', '12'), '/agencies/so-tu-phap', KEY)).toEqual({
      action: '/initiatives/12/unassess',
      fields: [{ name: 'back', value: '/agencies/so-tu-phap' }],
    });
    // A forgery verdict is a dismissal of the mail: its undo puts the mail back on the list.
    expect(undoForm(redirectedTo('forgery_marked', 'restore_item', 'message-9'), '/messages/9', KEY)).toEqual(
      {
        action: '/review/restore',
        fields: [
          { name: 'kind', value: 'message' },
          { name: 'id', value: '9' },
          { name: 'back', value: '/messages/9' },
        ],
      },
    );
  });

  it('links to what was just changed, from the undo and its subject alone', () => {
    const link = (what: string, subject: string) =>
      changedLink(redirectedTo('dismissed', what, subject), KEY);
    expect(link('unconfirm', 'CCHC-2021-00005')).toEqual({
      href: '/submissions/CCHC-2021-00005',
      text: 'Xem hồ sơ CCHC-2021-00005',
    });
    expect(link('count_as_mail', 'CCHC-2021-00007')?.href).toBe('/submissions/CCHC-2021-00007');
    expect(link('restore_item', 'message-9')).toEqual({ href: '/messages/9', text: 'Xem thư' });
    expect(link('restore_item', 'file-42')?.href).toBe('/files/42/mail');
    expect(link('restore_item', 'result-3')?.href).toBe('/results/3');
    expect(link('unlink', '3')?.href).toBe('/results/3');
    expect(link('undo_correction', '77')?.href).toBe('/corrections/77');
    expect(link('restore_initiative', '12')).toEqual({ href: '/initiatives/12', text: 'Xem sáng kiến' });
    expect(link('unassess', '12')?.href).toBe('/initiatives/12');
  });

  it('offers nothing for an address someone else made: unsigned, signed for another person, or altered', () => {
    const forged = { ok: 'dismissed', undo: 'unconfirm', subject: 'CCHC-2021-00007' };
    expect(undoForm(forged, '/review', KEY)).toBeUndefined();
    expect(changedLink(forged, KEY)).toBeUndefined();
    const theirs = redirectedTo('confirmed', 'unconfirm', 'CCHC-2021-00007', 'another person’s secret');
    expect(undoForm(theirs, '/review', KEY)).toBeUndefined();
    const altered = {
      ...redirectedTo('confirmed', 'unconfirm', 'CCHC-2021-00007'),
      subject: 'CCHC-2021-00008',
    };
    expect(undoForm(altered, '/review', KEY)).toBeUndefined();
    const otherDone = { ...redirectedTo('confirmed', 'unconfirm', 'CCHC-2021-00007'), ok: 'dismissed' };
    expect(undoForm(otherDone, '/review', KEY)).toBeUndefined();
    expect(
      undoForm(redirectedTo('confirmed', 'unconfirm', 'CCHC-2021-00007'), '/review', undefined),
    ).toBeUndefined();
  });

  it('offers nothing for an unknown undo or a subject of another shape (nothing else of the address is used)', () => {
    expect(undoForm(redirectedTo('dismissed', 'drop_table', '1'), '/', KEY)).toBeUndefined();
    expect(undoForm(redirectedTo('dismissed', 'unlink', '1/../../admin'), '/', KEY)).toBeUndefined();
    expect(undoForm(redirectedTo('dismissed', 'restore_item', 'agency-1'), '/', KEY)).toBeUndefined();
    expect(undoForm({ ok: 'x', undo: ['unlink', 'unlink'], subject: '1' }, '/', KEY)).toBeUndefined();
    expect(undoForm({}, '/', KEY)).toBeUndefined();
    expect(changedLink(redirectedTo('dismissed', 'unassess', '12/../../admin'), KEY)).toBeUndefined();
    expect(changedLink(redirectedTo('dismissed', 'unconfirm', '<script>'), KEY)).toBeUndefined();
    expect(changedLink(redirectedTo('dismissed', 'toString', '1'), KEY)).toBeUndefined();
    expect(changedLink({ ok: 'linked' }, KEY)).toBeUndefined();
    expect(undoQuery({ done: 'linked' }, KEY)).toBe('');
  });
});
