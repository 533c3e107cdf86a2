import { describe, expect, it } from 'vitest';
import { changedLink, undoForm, undoQuery } from '../../src/web/undo-link.js';

describe('"Hoàn tác" after an action', () => {
  it('offers the action that takes it back, posting back to the same page', () => {
    const query = new URLSearchParams(
      `ok=dismissed${undoQuery({ done: 'dismissed', undo: { what: 'restore_item', subject: 'file-42' } })}`,
    );
    expect(undoForm(Object.fromEntries(query), '/review')).toEqual({
      action: '/review/restore',
      fields: [
        { name: 'kind', value: 'file' },
        { name: 'id', value: '42' },
        { name: 'back', value: '/review' },
      ],
    });
    expect(undoForm({ undo: 'unconfirm', subject: 'CCHC-2021-00007' }, '/messages/3')?.action).toBe(
      '/review/unconfirm',
    );
  });

  it('takes back an assessment and a forgery verdict like every other action', () => {
    const assessed = new URLSearchParams(
      `ok=assessed${undoQuery({ done: 'assessed', undo: { what: 'unassess', subject: '12' } })}`,
    );
    expect(undoForm(Object.fromEntries(assessed), '/agencies/so-tu-phap')).toEqual({
      action: '/initiatives/12/unassess',
      fields: [{ name: 'back', value: '/agencies/so-tu-phap' }],
    });
    // A forgery verdict is a dismissal of the mail: its undo puts the mail back on the list.
    expect(undoForm({ undo: 'restore_item', subject: 'message-9' }, '/messages/9')).toEqual({
      action: '/review/restore',
      fields: [
        { name: 'kind', value: 'message' },
        { name: 'id', value: '9' },
        { name: 'back', value: '/messages/9' },
      ],
    });
  });

  it('links to what was just changed, from the undo and its subject alone', () => {
    expect(changedLink({ ok: 'confirmed', undo: 'unconfirm', subject: 'CCHC-2021-00005' })).toEqual({
      href: '/submissions/CCHC-2021-00005',
      text: 'Xem hồ sơ CCHC-2021-00005',
    });
    expect(changedLink({ undo: 'count_as_mail', subject: 'CCHC-2021-00007' })?.href).toBe(
      '/submissions/CCHC-2021-00007',
    );
    expect(changedLink({ undo: 'restore_item', subject: 'message-9' })).toEqual({
      href: '/messages/9',
      text: 'Xem thư',
    });
    expect(changedLink({ undo: 'restore_item', subject: 'file-42' })?.href).toBe('/files/42/mail');
    expect(changedLink({ undo: 'restore_item', subject: 'result-3' })?.href).toBe('/results/3');
    expect(changedLink({ undo: 'unlink', subject: '3' })?.href).toBe('/results/3');
    expect(changedLink({ undo: 'undo_correction', subject: '77' })?.href).toBe('/corrections/77');
    expect(changedLink({ undo: 'restore_initiative', subject: '12' })).toEqual({
      href: '/initiatives/12',
      text: 'Xem sáng kiến',
    });
    expect(changedLink({ undo: 'unassess', subject: '12' })?.href).toBe('/initiatives/12');
  });

  it('offers nothing for an unknown undo or a subject of another shape (nothing else of the address is used)', () => {
    expect(undoForm({ undo: 'drop_table', subject: '1' }, '/')).toBeUndefined();
    expect(undoForm({ undo: 'unlink', subject: '1/../../admin' }, '/')).toBeUndefined();
    expect(undoForm({ undo: 'restore_item', subject: 'agency-1' }, '/')).toBeUndefined();
    expect(undoForm({ undo: ['unlink', 'unlink'], subject: '1' }, '/')).toBeUndefined();
    expect(undoForm({}, '/')).toBeUndefined();
    expect(changedLink({ undo: 'unassess', subject: '12/../../admin' })).toBeUndefined();
    expect(changedLink({ undo: 'unconfirm', subject: '<script>' })).toBeUndefined();
    expect(changedLink({ undo: 'toString', subject: '1' })).toBeUndefined();
    expect(changedLink({ ok: 'linked' })).toBeUndefined();
    expect(undoQuery({ done: 'linked' })).toBe('');
  });
});
