/** A mail read by {@link parseMail}: its headers (names in lower case, encoded words decoded) and its text. */
export interface ParsedMail {
  headers: Record<string, string>;
  /** The text/plain body (the first text/plain part of a multipart mail). */
  text: string;
  /** The text/html body, when there is one. */
  html: string | undefined;
}

const decodeBytes = (bytes: Uint8Array, charset: string): string => {
  try {
    return new TextDecoder(charset || 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
};

const qpBytes = (s: string, underscoreIsSpace: boolean): Uint8Array => {
  const out: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      out.push(Number.parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '_' && underscoreIsSpace) out.push(32);
    else out.push(...new TextEncoder().encode(c));
  }
  return Uint8Array.from(out);
};

/**
 * Decodes RFC 2047 encoded words; adjacent words of one charset are joined as bytes before decoding.
 *
 * @example
 * ```ts
 * import { decodeHeader } from '@motcua/notify/testing';
 * decodeHeader('=?UTF-8?Q?H=E1=BB=93_s=C6=A1?='); // 'Hồ sơ'
 * ```
 */
export function decodeHeader(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: number[] } | undefined;
  const flush = () => {
    if (pending) out += decodeBytes(Uint8Array.from(pending.bytes), pending.charset);
    pending = undefined;
  };
  for (let m = word.exec(value); m; m = word.exec(value)) {
    const between = value.slice(last, m.index);
    if (!/^\s*$/.test(between) || !pending) {
      flush();
      out += between;
    }
    const charset = m[1]!.toLowerCase().replace(/\*.*$/, '');
    const bytes = m[2]!.toUpperCase() === 'B' ? Buffer.from(m[3]!, 'base64') : qpBytes(m[3]!, true);
    if (pending && pending.charset !== charset) flush();
    pending ??= { charset, bytes: [] };
    pending.bytes.push(...bytes);
    last = m.index + m[0].length;
  }
  flush();
  return out + value.slice(last);
}

const splitHead = (raw: string): { head: string; body: string } => {
  const m = /\r?\n\r?\n/.exec(raw);
  return m
    ? { head: raw.slice(0, m.index), body: raw.slice(m.index + m[0].length) }
    : { head: raw, body: '' };
};

const readHeaders = (head: string): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const name = line.slice(0, at).trim().toLowerCase();
    if (!(name in headers)) headers[name] = decodeHeader(line.slice(at + 1).trim());
  }
  return headers;
};

const param = (value: string, name: string): string | undefined =>
  new RegExp(`${name}="?([^";]+)"?`, 'i').exec(value)?.[1];

const decodeBody = (body: string, headers: Record<string, string>): string => {
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const charset = param(headers['content-type'] ?? '', 'charset') ?? 'utf-8';
  if (cte === 'base64') return decodeBytes(Buffer.from(body.replace(/\s+/g, ''), 'base64'), charset);
  if (cte === 'quoted-printable') return decodeBytes(qpBytes(body, false), charset);
  return decodeBytes(Buffer.from(body, 'latin1'), charset);
};

/**
 * A minimal reader of the mails the SMTP simulator receives: headers (unfolded, RFC 2047 decoded), and the
 * text/plain and text/html parts (base64, quoted-printable or 8-bit; multipart nested any depth). Not a full
 * MIME parser: attachments are skipped.
 *
 * @example
 * ```ts
 * import { parseMail } from '@motcua/notify/testing';
 * const mail = parseMail('Subject: =?UTF-8?B?SOG7kyBzxqE=?=\r\nContent-Type: text/plain\r\n\r\nxin chào');
 * mail.headers.subject; // 'Hồ sơ'
 * mail.text; // 'xin chào'
 * ```
 */
export function parseMail(raw: string): ParsedMail {
  const { head, body } = splitHead(raw);
  const headers = readHeaders(head);
  const found = { text: undefined as string | undefined, html: undefined as string | undefined };
  const walk = (h: Record<string, string>, b: string) => {
    const type = (h['content-type'] ?? 'text/plain').toLowerCase();
    if (type.startsWith('multipart/')) {
      const boundary = param(h['content-type'] ?? '', 'boundary');
      if (!boundary) return;
      const parts = b.split(`--${boundary}`).slice(1);
      for (const part of parts) {
        if (part.startsWith('--')) break;
        const p = splitHead(part.replace(/^\r?\n/, ''));
        walk(readHeaders(p.head), p.body.replace(/\r?\n$/, ''));
      }
    } else if (type.startsWith('text/plain') && found.text === undefined) found.text = decodeBody(b, h);
    else if (type.startsWith('text/html') && found.html === undefined) found.html = decodeBody(b, h);
  };
  walk(headers, body);
  return { headers, text: (found.text ?? '').replace(/\r\n/g, '\n').replace(/\n$/, ''), html: found.html };
}
