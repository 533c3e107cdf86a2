// The kinds of file agencies send and staff open: forms (Word, PDF, OpenDocument, RTF), spreadsheets, text and
// pictures. Whatever else a sender attached (a program, a script, a shortcut, a web page, a macro-enabled Office
// file, an archive that could hide any of those) downloads under a name no program opens by a double click.
const OPENED_AS_IS = new Set([
  'doc',
  'docx',
  'pdf',
  'odt',
  'rtf',
  'xls',
  'xlsx',
  'ods',
  'csv',
  'txt',
  'jpg',
  'jpeg',
  'png',
  'gif',
  'eml',
]);

/** What a file to download is saved as: its own name, or with `.txt` added when its extension could run or hide code. */
export function downloadName(filename: string): { name: string; renamed: boolean } {
  // Bidirectional controls would show "x\u202Egpj.exe" as "xexe.jpg"; Windows drops trailing dots and spaces:
  // "x.exe." and "x.exe " are x.exe.
  const trimmed =
    filename
      .replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu, '')
      .replace(/[\s.]+$/u, '')
      .replace(/[\\/\0]/g, '_') || 'tep';
  const dot = trimmed.lastIndexOf('.');
  const extension = dot > 0 ? trimmed.slice(dot + 1).toLowerCase() : '';
  if (extension === '' || OPENED_AS_IS.has(extension)) return { name: trimmed, renamed: false };
  return { name: `${trimmed}.txt`, renamed: true };
}
