import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { Campaigns } from '../../db/schema.js';
import { formatDate } from '../../domain/time.js';

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
  const date = campaign?.document_date ? ` ngày ${formatDate(campaign.document_date)}` : '';
  return `Văn bản số ${number}${date} của ${campaign?.document_issuer?.trim() || 'Sở Nội vụ'}`;
}

const BLANK_FORM = {
  registration: { file: 'bieu-dang-ky-sang-kien.docx', name: 'Bieu dang ky sang kien CCHC.docx' },
  results: { file: 'bao-cao-ket-qua-sang-kien.docx', name: 'Bao cao ket qua thuc hien sang kien CCHC.docx' },
} as const;

/** The blank form of a season (`templates/forms/`), as a file to attach to a mail that asks for it. */
export async function blankForm(renderer: { templatesDir: string }, season: keyof typeof BLANK_FORM) {
  const blank = BLANK_FORM[season];
  return {
    filename: blank.name,
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    bytes: await readFile(join(renderer.templatesDir, 'forms', blank.file)),
  };
}
