import { describe, expect, it } from 'vitest';
import { afterReplacement, type FileFacts, replacementOf } from '../../src/domain/replaced-files.js';

const file = (over: Partial<FileFacts>): FileFacts => ({
  id: '1',
  agencyId: '7',
  from: 'vanthu_soyt@hanoi.gov.vn',
  filename: 'Biểu đăng ký.docm',
  sha256: 'a',
  order: [100, 1],
  ...over,
});

describe('a file that could not be read, replaced by a later copy', () => {
  const refused = file({});
  it('is replaced by the same name in another format, or the same bytes, from the same agency, later', () => {
    expect(
      replacementOf(refused, [file({ id: '2', filename: 'Bieu dang ky - Copy.docx', order: [200, 2] })]),
    ).toBeDefined();
    expect(
      replacementOf(refused, [file({ id: '2', filename: 'other.docx', sha256: 'a', order: [200, 2] })]),
    ).toBeDefined();
    expect(replacementOf(refused, [file({ id: '2', order: [100, 1] })])?.id).toBe('2');
  });
  it('is not replaced by an earlier file, another agency’s, or another form', () => {
    expect(
      replacementOf(refused, [file({ id: '2', filename: 'Biểu đăng ký.docx', order: [50, 1] })]),
    ).toBeUndefined();
    expect(
      replacementOf(refused, [file({ id: '2', agencyId: '8', from: 'x@hanoi.gov.vn', order: [200, 2] })]),
    ).toBeUndefined();
    expect(
      replacementOf(refused, [
        file({ id: '2', filename: 'Báo cáo kết quả.docx', sha256: 'b', order: [200, 2] }),
      ]),
    ).toBeUndefined();
  });
  it('a stranger’s file is replaced by a copy from the same address once it counts for an agency', () => {
    const stranger = file({ agencyId: null, from: 'Ai.Do@gmail.com' });
    expect(
      replacementOf(stranger, [file({ id: '2', from: 'ai.do@gmail.com', order: [200, 2] })]),
    ).toBeDefined();
  });
  it('takes a message off the list once its failed files are all replaced and nothing else keeps it', () => {
    expect(afterReplacement(['failed_attachment'], 0)).toEqual({ state: 'processed', reasons: [] });
    expect(afterReplacement(['failed_attachment', 'uncertain_fields'], 0)).toEqual({
      state: 'needs_review',
      reasons: ['uncertain_fields'],
    });
    expect(afterReplacement(['failed_attachment'], 1).reasons).toEqual(['failed_attachment']);
  });
});
