import { describe, expect, it } from 'vitest';
import { downloadName } from '../../src/domain/download-name.js';

describe('the name a stored file downloads under', () => {
  it('keeps the forms, spreadsheets, text and pictures agencies send', () => {
    for (const name of ['Biểu đăng ký.docx', 'bao-cao.PDF', 'dk.doc', 'tong hop.xlsx', 'anh.jpg', 'ghi-chu'])
      expect(downloadName(name)).toEqual({ name, renamed: false });
  });

  it('renames what could run or hide code, so no double click opens it', () => {
    for (const [given, saved] of [
      ['cai-dat.exe', 'cai-dat.exe.txt'],
      ['Biểu đăng ký.docm', 'Biểu đăng ký.docm.txt'],
      ['huong-dan.html', 'huong-dan.html.txt'],
      ['anh.svg', 'anh.svg.txt'],
      ['bieu.pdf.js', 'bieu.pdf.js.txt'],
      ['lien-ket.lnk', 'lien-ket.lnk.txt'],
      ['ho-so.zip', 'ho-so.zip.txt'],
      ['x.exe. . ', 'x.exe.txt'],
      ['bao-cao\u202Excod.exe', 'bao-caoxcod.exe.txt'],
    ] as const)
      expect(downloadName(given), given).toEqual({ name: saved, renamed: true });
    expect(downloadName('../../etc/passwd').name).not.toContain('/');
    expect(downloadName('...').name).toBe('tep');
  });
});
