import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The benches' mail: each message carries one registration form of the fixtures, from a registered address.

export interface BenchForm {
  name: string;
  bytes: Buffer;
}

/** Every .docx registration form of the fixtures. */
export function registrationForms(root: string): BenchForm[] {
  const formsDir = join(root, 'test/fixtures/forms');
  return readdirSync(formsDir)
    .filter((f) => f.startsWith('dk-') && f.endsWith('.docx'))
    .map((f) => ({ name: f, bytes: readFileSync(join(formsDir, f)) }));
}

/** Message number `i`: the forms and senders taken in turn; its Message-ID carries the run's `tag`. */
export function benchMessage(
  i: number,
  forms: readonly BenchForm[],
  senders: readonly string[],
  tag: string,
): { raw: Buffer; messageId: string } {
  const form = forms[i % forms.length] as BenchForm;
  const boundary = `b${i}`;
  const b64 = form.bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  const messageId = `<bench-${i}-${tag}@hanoi.gov.vn>`;
  const raw = Buffer.from(
    [
      `From: <${senders[i % senders.length]}>`,
      'To: <phongcchc_sonv@hanoi.gov.vn>',
      `Subject: Bench ${i}`,
      `Message-ID: ${messageId}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Xin gửi biểu đăng ký.',
      `--${boundary}`,
      `Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name="${i}-${form.name}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${i}-${form.name}"`,
      '',
      b64,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
  return { raw, messageId };
}
