import { simpleParser } from 'mailparser';

const MAX_CHARS = 200_000;

/**
 * The readable text of a stored mail, for a person to read beside its files: the plain-text part, or the
 * HTML part turned into text. Never HTML: the caller shows it escaped.
 */
export async function messageText(raw: Buffer): Promise<string> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n').trim();
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}\n…` : text;
}
