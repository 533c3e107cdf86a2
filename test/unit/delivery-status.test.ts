import { describe, expect, it } from 'vitest';
import { parseDeliveryReport } from '../../src/mail/delivery-status.js';

// Reports shaped as the common servers send them, built here (the addresses and ids are the test's own).
const ORIGINAL_HEADERS = [
  'Return-Path: <cchc@hanoi.gov.vn>',
  'From: =?UTF-8?Q?Ph=C3=B2ng_CCHC?= <cchc@hanoi.gov.vn>',
  'To: vanthu_sotp@hanoi.gov.vn, vanthu2_sotp@hanoi.gov.vn',
  'Subject: =?UTF-8?B?xJDhu4Egbmdo4buLIMSRxINuZyBrw70gc8Ohbmcga2nhur9u?=',
  'Date: Mon, 30 Nov 2026 08:00:00 +0700',
  'Message-ID: <reminder-42@hanoi.gov.vn>',
  'Auto-Submitted: auto-generated',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
].join('\r\n');

function postfix(): string {
  const b = '4A1B22F0C3.1606777200/mail.hanoi.gov.vn';
  return [
    'Return-Path: <>',
    'Received: by mail.hanoi.gov.vn (Postfix) id 4A1B22F0C3; Mon, 30 Nov 2026 08:00:05 +0700 (+07)',
    'Date: Mon, 30 Nov 2026 08:00:05 +0700 (+07)',
    'From: MAILER-DAEMON@mail.hanoi.gov.vn (Mail Delivery System)',
    'Subject: Undelivered Mail Returned to Sender',
    'To: cchc@hanoi.gov.vn',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="${b}"`,
    'Content-Transfer-Encoding: 8bit',
    'Message-Id: <20261130010005.4A1B22F0C3@mail.hanoi.gov.vn>',
    '',
    'This is a MIME-encapsulated message.',
    '',
    `--${b}`,
    'Content-Description: Notification',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'This is the mail system at host mail.hanoi.gov.vn.',
    '',
    "I'm sorry to have to inform you that your message could not",
    "be delivered to one or more recipients. It's attached below.",
    '',
    '<vanthu_sotp@hanoi.gov.vn>: host mx.hanoi.gov.vn[10.0.0.5] said: 550 5.1.1',
    '    <vanthu_sotp@hanoi.gov.vn>: Recipient address rejected: User unknown in',
    '    virtual mailbox table (in reply to RCPT TO command)',
    '',
    `--${b}`,
    'Content-Description: Delivery report',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mail.hanoi.gov.vn',
    'X-Postfix-Queue-ID: 4A1B22F0C3',
    'X-Postfix-Sender: rfc822; cchc@hanoi.gov.vn',
    'Arrival-Date: Mon, 30 Nov 2026 08:00:01 +0700 (+07)',
    '',
    'Final-Recipient: rfc822; vanthu_sotp@hanoi.gov.vn',
    'Original-Recipient: rfc822;VanThu_SoTP@hanoi.gov.vn',
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.hanoi.gov.vn',
    'Diagnostic-Code: smtp; 550 5.1.1 <vanthu_sotp@hanoi.gov.vn>: Recipient address',
    '    rejected: User unknown in virtual mailbox table',
    '',
    `--${b}`,
    'Content-Description: Undelivered Message Headers',
    'Content-Type: text/rfc822-headers',
    'Content-Transfer-Encoding: 8bit',
    '',
    ORIGINAL_HEADERS,
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

function gmail(): string {
  const b = '000000000000a1b2c3d4e5f6a7b8';
  const r = '000000000000a1b2c3d4e5f6a7b9';
  const a = '000000000000a1b2c3d4e5f6a7ba';
  return [
    'Delivered-To: cchc.hanoi@gmail.com',
    'Return-Path: <>',
    'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    'To: cchc.hanoi@gmail.com',
    'Auto-Submitted: auto-replied',
    'Subject: Delivery Status Notification (Failure)',
    'References: <reminder-42@hanoi.gov.vn>',
    'In-Reply-To: <reminder-42@hanoi.gov.vn>',
    'X-Failed-Recipients: vanthu2_sotp@hanoi.gov.vn',
    'Message-ID: <6123abcd.170a0220.1c2f3.0000.GMR@mx.google.com>',
    'Date: Sun, 29 Nov 2026 18:00:07 -0800 (PST)',
    `Content-Type: multipart/report; boundary="${b}"; report-type=delivery-status`,
    '',
    `--${b}`,
    `Content-Type: multipart/related; boundary="${r}"`,
    '',
    `--${r}`,
    `Content-Type: multipart/alternative; boundary="${a}"`,
    '',
    `--${a}`,
    'Content-Type: text/plain; charset="UTF-8"',
    '',
    '',
    '** Address not found **',
    '',
    "Your message wasn't delivered to vanthu2_sotp@hanoi.gov.vn because the address couldn't be found.",
    '',
    `--${a}`,
    'Content-Type: text/html; charset="UTF-8"',
    '',
    '<html><body><h2>Address not found</h2></body></html>',
    `--${a}--`,
    `--${r}`,
    'Content-Type: image/png; name="icon.png"',
    'Content-Disposition: attachment; filename="icon.png"',
    'Content-Transfer-Encoding: base64',
    'Content-ID: <icon.png>',
    '',
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    `--${r}--`,
    `--${b}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; googlemail.com',
    'Received-From-MTA: dns; cchc.hanoi@gmail.com',
    'Arrival-Date: Sun, 29 Nov 2026 18:00:06 -0800 (PST)',
    'X-Original-Message-ID: <reminder-42@hanoi.gov.vn>',
    '',
    'Final-Recipient: rfc822; vanthu2_sotp@hanoi.gov.vn',
    'Action: failed',
    'Status: 5.1.1',
    'Remote-MTA: dns; mx.hanoi.gov.vn. (10.0.0.5, the server for the domain hanoi.gov.vn.)',
    'Diagnostic-Code: smtp; 550 5.1.1 <vanthu2_sotp@hanoi.gov.vn>: Recipient address rejected: User unknown',
    'Last-Attempt-Date: Sun, 29 Nov 2026 18:00:07 -0800 (PST)',
    '',
    `--${b}`,
    'Content-Type: message/rfc822',
    '',
    ORIGINAL_HEADERS,
    '',
    'Kính gửi Sở Tư pháp,',
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

function exchange(): string {
  const b = '_000_AM0PR01MB1234ABCDprodexchangelabscom_';
  const status = [
    'Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.exchangelabs.com',
    'Received-From-MTA: dns;AM0PR01MB5678.eurprd01.prod.exchangelabs.com',
    'Arrival-Date: Mon, 30 Nov 2026 01:00:02 +0000',
    '',
    'Final-Recipient: rfc822;sonv.vanthu@outlook.com',
    'Action: failed',
    'Status: 5.1.10',
    'Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
    'X-Display-Name: Van thu So Noi vu',
    '',
  ].join('\r\n');
  return [
    'From: Microsoft Outlook <postmaster@outlook.com>',
    'To: <cchc@hanoi.gov.vn>',
    'Date: Mon, 30 Nov 2026 01:00:03 +0000',
    'Content-Type: multipart/report; report-type=delivery-status;',
    `\tboundary="${b}"`,
    'Content-Language: en-US',
    'Message-ID: <e1f2a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b@AM0PR01MB1234.eurprd01.prod.exchangelabs.com>',
    'In-Reply-To: <reminder-77@hanoi.gov.vn>',
    'References: <reminder-77@hanoi.gov.vn>',
    'Subject: Undeliverable: =?utf-8?B?Tmjhuq9jIGjhuqFu?=',
    'Auto-Submitted: auto-replied',
    'X-MS-Exchange-Message-Is-Ndr: ',
    'X-MS-PublicTrafficType: Email',
    'MIME-Version: 1.0',
    '',
    `--${b}`,
    'Content-Type: multipart/alternative; differences=Content-Type;',
    '\tboundary="b2_AM0PR01MB1234"',
    '',
    '--b2_AM0PR01MB1234',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(
      "Delivery has failed to these recipients or groups:\r\n\r\nsonv.vanthu@outlook.com\r\nThe email address you entered couldn't be found.\r\n",
    ).toString('base64'),
    '',
    '--b2_AM0PR01MB1234--',
    '',
    `--${b}`,
    'Content-Type: message/delivery-status',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(status)
      .toString('base64')
      .replace(/(.{76})/g, '$1\r\n'),
    '',
    `--${b}`,
    'Content-Type: text/rfc822-headers',
    '',
    ORIGINAL_HEADERS.replace('reminder-42', 'reminder-77').replace(/To: .*/, 'To: sonv.vanthu@outlook.com'),
    '',
    `--${b}--`,
    '',
  ].join('\r\n');
}

function eximPlain(): string {
  return [
    'Return-path: <>',
    'Envelope-to: cchc@hanoi.gov.vn',
    'Received: from mail by mx.example.vn with local (Exim 4.96)',
    '\tid 1qAbCd-000123-Ef',
    '\tfor cchc@hanoi.gov.vn; Mon, 30 Nov 2026 08:00:04 +0700',
    'X-Failed-Recipients: vanphong@quanbadinh.example.vn',
    'Auto-Submitted: auto-replied',
    'From: Mail Delivery System <Mailer-Daemon@mx.example.vn>',
    'To: cchc@hanoi.gov.vn',
    'Content-Type: text/plain; charset=us-ascii',
    'Subject: Mail delivery failed: returning message to sender',
    'Message-Id: <E1qAbCd-000123-Ef@mx.example.vn>',
    'Date: Mon, 30 Nov 2026 08:00:04 +0700',
    '',
    'This message was created automatically by mail delivery software.',
    '',
    'A message that you sent could not be delivered to one or more of its',
    'recipients. This is a permanent error. The following address(es) failed:',
    '',
    '  vanphong@quanbadinh.example.vn',
    '    host mx.quanbadinh.example.vn [10.1.2.3]',
    '    SMTP error from remote mail server after RCPT TO:<vanphong@quanbadinh.example.vn>:',
    '    550 5.1.1 <vanphong@quanbadinh.example.vn>: Recipient address rejected: User unknown',
    '',
    '------ This is a copy of the message, including all the headers. ------',
    '',
    ORIGINAL_HEADERS.replace('reminder-42', 'reminder-9'),
    '',
    'Kinh gui UBND quan Ba Dinh,',
    '',
  ].join('\r\n');
}

function qmailPlain(): string {
  return [
    'Return-Path: <>',
    'Date: 30 Nov 2026 01:00:09 -0000',
    'From: MAILER-DAEMON@mail.example.com',
    'To: cchc@hanoi.gov.vn',
    'Subject: failure notice',
    '',
    'Hi. This is the qmail-send program at mail.example.com.',
    "I'm afraid I wasn't able to deliver your message to the following addresses.",
    "This is a permanent error; I've given up. Sorry it didn't work out.",
    '',
    '<ubnd_phuong@example.com>:',
    'Sorry, no mailbox here by that name. (#5.1.1)',
    '',
    '--- Below this line is a copy of the message.',
    '',
    ORIGINAL_HEADERS.replace('reminder-42', 'reminder-5'),
    '',
  ].join('\r\n');
}

describe('delivery-status notifications', () => {
  it('reads a Postfix report: the address as sent, the status, and the returned headers', () => {
    const r = parseDeliveryReport(Buffer.from(postfix(), 'utf8'));
    expect(r).toMatchObject({
      format: 'dsn',
      reportingMta: 'mail.hanoi.gov.vn',
      originalMessageId: '<reminder-42@hanoi.gov.vn>',
    });
    expect(r?.failed).toEqual([
      {
        address: 'vanthu_sotp@hanoi.gov.vn',
        finalRecipient: 'vanthu_sotp@hanoi.gov.vn',
        originalRecipient: 'vanthu_sotp@hanoi.gov.vn',
        action: 'failed',
        status: '5.1.1',
        diagnostic:
          'smtp; 550 5.1.1 <vanthu_sotp@hanoi.gov.vn>: Recipient address rejected: User unknown in virtual mailbox table',
      },
    ]);
  });

  it('reads a Gmail report with its message nested in related and alternative parts', () => {
    const r = parseDeliveryReport(gmail());
    expect(r?.format).toBe('dsn');
    expect(r?.failed.map((f) => [f.address, f.status])).toEqual([['vanthu2_sotp@hanoi.gov.vn', '5.1.1']]);
    expect(r?.originalMessageId).toBe('<reminder-42@hanoi.gov.vn>');
  });

  it('reads an Exchange Online report whose status part is base64', () => {
    const r = parseDeliveryReport(exchange());
    expect(r?.failed.map((f) => [f.address, f.status])).toEqual([['sonv.vanthu@outlook.com', '5.1.10']]);
    expect(r?.reportingMta).toBe('AM0PR01MB1234.eurprd01.prod.exchangelabs.com');
    expect(r?.originalMessageId).toBe('<reminder-77@hanoi.gov.vn>');
  });

  it('falls back on In-Reply-To when the report returns no headers', () => {
    const cut = exchange().replace(
      /Content-Type: text\/rfc822-headers[\s\S]*?(?=\r\n--_000)/,
      'Content-Type: text/plain\r\n\r\n(headers removed)\r\n',
    );
    expect(cut).not.toContain('Message-ID: <reminder-77');
    expect(parseDeliveryReport(cut)?.originalMessageId).toBe('<reminder-77@hanoi.gov.vn>');
  });

  it('reads an Exim text bounce: X-Failed-Recipients, the listed address and the quoted Message-ID', () => {
    const r = parseDeliveryReport(eximPlain());
    expect(r?.format).toBe('plain');
    expect(r?.failed.map((f) => [f.address, f.status])).toEqual([
      ['vanphong@quanbadinh.example.vn', '5.1.1'],
    ]);
    expect(r?.failed[0]?.diagnostic).toContain('550 5.1.1');
    expect(r?.originalMessageId).toBe('<reminder-9@hanoi.gov.vn>');
  });

  it('reads a qmail failure notice', () => {
    const r = parseDeliveryReport(qmailPlain());
    expect(r?.failed.map((f) => [f.address, f.status])).toEqual([['ubnd_phuong@example.com', '5.1.1']]);
    expect(r?.originalMessageId).toBe('<reminder-5@hanoi.gov.vn>');
  });

  it('flags nobody for a delay warning or a temporary failure', () => {
    const delayed = postfix()
      .replace('Action: failed', 'Action: delayed')
      .replace('Status: 5.1.1', 'Status: 4.4.1');
    const r = parseDeliveryReport(delayed);
    expect(r?.recipients.map((x) => [x.address, x.action, x.status])).toEqual([
      ['vanthu_sotp@hanoi.gov.vn', 'delayed', '4.4.1'],
    ]);
    expect(r?.failed).toEqual([]);
    const gaveUpForNow = parseDeliveryReport(postfix().replace('Status: 5.1.1', 'Status: 4.7.0'));
    expect(gaveUpForNow?.failed).toEqual([]);
    const eximDelay = eximPlain()
      .replace(
        'Mail delivery failed: returning message to sender',
        'Warning: message 1qAbCd-000123-Ef delayed 24 hours',
      )
      .replace(
        'This is a permanent error.',
        'No action is required on your part. Delivery attempts will continue to be made.',
      );
    expect(parseDeliveryReport(eximDelay)?.failed).toEqual([]);
  });

  it('lists every failed recipient of a report on several, and only the failed ones', () => {
    const two = postfix().replace(
      'Final-Recipient: rfc822; vanthu_sotp@hanoi.gov.vn',
      [
        'Final-Recipient: rfc822; vanthu2_sotp@hanoi.gov.vn',
        'Action: delivered',
        'Status: 2.0.0',
        '',
        'Final-Recipient: rfc822; other@hanoi.gov.vn',
        'Action: failed',
        'Status: 5.2.2',
        '',
        'Final-Recipient: rfc822; vanthu_sotp@hanoi.gov.vn',
      ].join('\r\n'),
    );
    const r = parseDeliveryReport(two);
    expect(r?.recipients.map((x) => x.address)).toEqual([
      'vanthu2_sotp@hanoi.gov.vn',
      'other@hanoi.gov.vn',
      'vanthu_sotp@hanoi.gov.vn',
    ]);
    expect(r?.failed.map((x) => x.address)).toEqual(['other@hanoi.gov.vn', 'vanthu_sotp@hanoi.gov.vn']);
  });

  it('reads hostile reports without getting stuck: long fields, endless lines, thousands of recipients', () => {
    const long = 'a'.repeat(200_000);
    expect(
      parseDeliveryReport(postfix().replace('rfc822; vanthu_sotp@hanoi.gov.vn', `rfc822; ${long}`))?.failed,
    ).toEqual([expect.objectContaining({ address: 'vanthu_sotp@hanoi.gov.vn' })]);
    const lines = eximPlain().replace('  vanphong@quanbadinh.example.vn\r\n', `${'\n'.repeat(100_000)}`);
    expect(parseDeliveryReport(lines)?.failed.map((f) => f.address)).toEqual([
      'vanphong@quanbadinh.example.vn',
    ]);
    const ids = [
      `From: MAILER-DAEMON@x.example`,
      `In-Reply-To: <${long}`,
      `X-Failed-Recipients: ${long}`,
      '',
      'x',
    ];
    expect(parseDeliveryReport(ids.join('\r\n'))).toBeNull();
    const many = postfix().replace(
      'Final-Recipient: rfc822; vanthu_sotp@hanoi.gov.vn',
      `${Array.from(
        { length: 5000 },
        (_, i) => `Final-Recipient: rfc822; u${i}@x.example\r\nAction: failed\r\nStatus: 5.1.1\r\n`,
      ).join('\r\n')}\r\nFinal-Recipient: rfc822; vanthu_sotp@hanoi.gov.vn`,
    );
    expect(parseDeliveryReport(many)?.failed).toHaveLength(100);
  });

  it('is not fooled by an ordinary mail, even one that mentions a failed address', () => {
    const person = [
      'From: Nguyen Van A <vanthu_sotp@hanoi.gov.vn>',
      'To: cchc@hanoi.gov.vn',
      'Subject: Re: nhac han',
      'Message-ID: <abc@hanoi.gov.vn>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The following address failed:',
      '',
      '  someone@hanoi.gov.vn',
      '',
    ].join('\r\n');
    expect(parseDeliveryReport(person)).toBeNull();
    expect(parseDeliveryReport('')).toBeNull();
  });
});
