import type { Config } from '../../config.js';
import type { Campaigns } from '../../db/schema.js';
import { formatDayInWords } from '../../domain/time.js';

/** The campaign columns official mail quotes (a campaign row has them all). */
type LetterFields = Pick<
  Campaigns,
  'document_number' | 'document_date' | 'document_issuer' | 'contact_name' | 'contact_phone'
>;

/**
 * Whom an agency may call, as the foot of a mail names it: the campaign file's contact when it names one (it is
 * the campaign's own officer), else the configured OFFICE_CONTACT, else nobody.
 */
export function contactFor(
  campaign: Partial<LetterFields> | null | undefined,
  config: Config,
): string | null {
  const name = campaign?.contact_name?.trim();
  if (name) {
    const phone = campaign?.contact_phone?.trim();
    return phone ? `${name}, điện thoại ${phone}` : name;
  }
  return config.OFFICE_CONTACT || null;
}

/**
 * The document that launched the campaign as a letter cites it: "Văn bản số 1980/SNV-CCHC ngày 12/7/2021 của
 * Sở Nội vụ"; null when the campaign file names none.
 */
export function documentCitation(campaign: Partial<LetterFields> | null | undefined): string | null {
  const number = campaign?.document_number?.trim();
  if (!number) return null;
  const date = campaign?.document_date ? ` ngày ${formatDayInWords(campaign.document_date)}` : '';
  return `Văn bản số ${number}${date} của ${campaign?.document_issuer?.trim() || 'Sở Nội vụ'}`;
}
