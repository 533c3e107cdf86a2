import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { contactFor, documentCitation } from '../../src/registry/letters/campaign-letter.js';

const config = (contact = '') => loadConfig({ OFFICE_CONTACT: contact, LOG_LEVEL: 'silent' });
const none = { contact_name: null, contact_phone: null, document_number: null, document_date: null };

describe('what official mail quotes from the campaign', () => {
  it("names the campaign's contact with their phone, over OFFICE_CONTACT", () => {
    const campaign = {
      ...none,
      contact_name: 'Nguyễn Thị B, chuyên viên Phòng CCHC',
      contact_phone: '024 3826 0000',
    };
    expect(contactFor(campaign, config('Văn thư Sở'))).toBe(
      'Nguyễn Thị B, chuyên viên Phòng CCHC, điện thoại 024 3826 0000',
    );
    expect(contactFor({ ...campaign, contact_phone: null }, config())).toBe(
      'Nguyễn Thị B, chuyên viên Phòng CCHC',
    );
  });

  it('falls back to OFFICE_CONTACT, then to nobody', () => {
    expect(contactFor(none, config('Văn thư Sở, 024 0000 0000'))).toBe('Văn thư Sở, 024 0000 0000');
    expect(contactFor(undefined, config('Văn thư Sở'))).toBe('Văn thư Sở');
    expect(contactFor(none, config())).toBeNull();
  });

  it('cites the launching document as officials write it', () => {
    expect(
      documentCitation({
        ...none,
        document_number: '1980/SNV-CCHC',
        document_date: '2021-07-12',
        document_issuer: 'Sở Nội vụ',
      }),
    ).toBe('Văn bản số 1980/SNV-CCHC ngày 12/7/2021 của Sở Nội vụ');
    expect(documentCitation({ ...none, document_number: '12/UBND', document_issuer: null })).toBe(
      'Văn bản số 12/UBND của Sở Nội vụ',
    );
    expect(documentCitation(none)).toBeNull();
  });
});
