import { describe, expect, it } from 'vitest';
import { undoForm, undoQuery } from '../../src/web/undo-link.js';

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

  it('offers nothing for an unknown undo or a subject of another shape (nothing else of the address is used)', () => {
    expect(undoForm({ undo: 'drop_table', subject: '1' }, '/')).toBeUndefined();
    expect(undoForm({ undo: 'unlink', subject: '1/../../admin' }, '/')).toBeUndefined();
    expect(undoForm({ undo: 'restore_item', subject: 'agency-1' }, '/')).toBeUndefined();
    expect(undoForm({ undo: ['unlink', 'unlink'], subject: '1' }, '/')).toBeUndefined();
    expect(undoForm({}, '/')).toBeUndefined();
    expect(undoQuery({ done: 'linked' })).toBe('');
  });
});
