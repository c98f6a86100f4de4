import { describe, expect, it } from 'vitest';
import { decodeHeader, parseMail } from './mail-parse.js';

describe('the SMTP simulator’s mail reader', () => {
  it('decodes Q and B encoded words, joining a character split across two words', () => {
    expect(decodeHeader('=?UTF-8?Q?H=E1=BB=93_s=C6=A1?=')).toBe('Hồ sơ');
    const bytes = Buffer.from('Hồ sơ', 'utf8');
    const a = bytes.subarray(0, 2).toString('base64');
    const b = bytes.subarray(2).toString('base64');
    expect(decodeHeader(`=?utf-8?B?${a}?=\r\n =?utf-8?B?${b}?=`)).toBe('Hồ sơ');
    expect(decodeHeader('[Hồ sơ] =?UTF-8?Q?k=E1=BA=BFt?= qua')).toBe('[Hồ sơ] kết qua');
  });

  it('reads quoted-printable text and the text part of a multipart mail', () => {
    const raw = [
      'Subject: =?UTF-8?B?SOG7kyBzxqE=?=',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'H=E1=BA=A1n b=E1=BB=95 sung: 20/07/2025, m=E1=BB=99t d=C3=B2ng d=C3=A0i =',
      'ti=E1=BA=BFp',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>Hạn</p>').toString('base64'),
      '--b1--',
      '',
    ].join('\r\n');
    const mail = parseMail(raw);
    expect(mail.headers.subject).toBe('Hồ sơ');
    expect(mail.text).toBe('Hạn bổ sung: 20/07/2025, một dòng dài tiếp');
    expect(mail.html).toBe('<p>Hạn</p>');
  });
});
