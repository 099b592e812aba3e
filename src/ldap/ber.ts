// A strict reader of the BER that LDAP clients send (RFC 4511 §5.1: definite lengths, low tag numbers),
// and the one piece of BER this door writes by hand: the LDAPMessage envelope around a cached body.
//
// Why not @ldapjs/asn1's BerReader: it returns null instead of failing when an element claims more bytes
// than remain, without moving forward, and the @ldapjs/messages parsers call it in loops that then never
// end (a 42-byte search request freezes the process). Here every read checks its tag and that its length
// fits inside the enclosing element, and throws BerError otherwise, so a loop over elements always
// advances or stops.

export class BerError extends Error {
  override readonly name = 'BerError';
  /** True when more bytes could still make the encoding valid (only the stream framer cares). */
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message);
  }
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  octetString: 0x04,
  enumerated: 0x0a,
  sequence: 0x30,
  set: 0x31,
} as const;

export class BerReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The tag of the next element, or -1 at the end. */
  peek(): number {
    return this.pos < this.end ? this.buf[this.pos]! : -1;
  }

  /** Reads one element's header and returns where its contents are; moves past the element. */
  private element(expected: number): { start: number; end: number } {
    if (this.pos >= this.end) throw new BerError('unexpected end of element');
    const tag = this.buf[this.pos]!;
    if (tag !== expected)
      throw new BerError(`expected tag 0x${expected.toString(16)}, got 0x${tag.toString(16)}`);
    const { start, length } = readLength(this.buf, this.pos + 1, this.end);
    if (length > this.end - start) throw new BerError('element longer than its container');
    this.pos = start + length;
    return { start, end: start + length };
  }

  /** A reader over the contents of a constructed element (SEQUENCE, SET, [APPLICATION n] …). */
  sequence(tag: number = TAG.sequence): BerReader {
    const { start, end } = this.element(tag);
    return new BerReader(this.buf, start, end);
  }

  /** The contents of a primitive element, without copying. */
  octets(tag: number = TAG.octetString): Buffer {
    const { start, end } = this.element(tag);
    return this.buf.subarray(start, end);
  }

  string(tag: number = TAG.octetString): string {
    const { start, end } = this.element(tag);
    return start === end ? '' : this.buf.toString('utf8', start, end);
  }

  /** An INTEGER or ENUMERATED of at most 4 bytes (LDAP's maxInt is 2^31 − 1). */
  int(tag: number = TAG.integer): number {
    const { start, end } = this.element(tag);
    const n = end - start;
    if (n < 1 || n > 4) throw new BerError('integer of unsupported size');
    let v = this.buf[start]! & 0x80 ? -1 : 0;
    for (let i = start; i < end; i++) v = (v << 8) | this.buf[i]!;
    return v;
  }

  enumerated(): number {
    return this.int(TAG.enumerated);
  }

  boolean(tag: number = TAG.boolean): boolean {
    const { start, end } = this.element(tag);
    if (end - start !== 1) throw new BerError('boolean of wrong size');
    return this.buf[start] !== 0;
  }

  /** Skips the next element, whatever its tag. */
  skip(): void {
    if (this.pos >= this.end) throw new BerError('unexpected end of element');
    this.element(this.buf[this.pos]!);
  }

  /** Throws unless every byte of this element was read: trailing bytes are a malformed encoding. */
  assertDone(): void {
    if (this.pos !== this.end) throw new BerError('trailing bytes in element');
  }
}

/**
 * Decodes a definite length at `at`. Lengths of more than 4 bytes cannot describe anything this door
 * accepts (messages are capped far below 4 GiB); the indefinite form is forbidden by RFC 4511 §5.1.
 */
export function readLength(buf: Buffer, at: number, end: number): { start: number; length: number } {
  if (at >= end) throw new BerError('missing length', true);
  const first = buf[at]!;
  if (first < 0x80) return { start: at + 1, length: first };
  const n = first & 0x7f;
  if (n === 0) throw new BerError('indefinite length');
  if (n > 4) throw new BerError('length too long');
  if (at + 1 + n > end) throw new BerError('truncated length', true);
  let length = 0;
  for (let i = 1; i <= n; i++) length = length * 256 + buf[at + i]!;
  return { start: at + 1 + n, length };
}

function lengthBytes(length: number): number {
  return length < 0x80 ? 1 : length < 0x100 ? 2 : length < 0x10000 ? 3 : length < 0x1000000 ? 4 : 5;
}

function writeLength(out: Buffer, at: number, length: number): number {
  const n = lengthBytes(length) - 1;
  if (n === 0) {
    out[at] = length;
    return at + 1;
  }
  out[at] = 0x80 | n;
  for (let i = n; i >= 1; i--) {
    out[at + i] = length & 0xff;
    length = Math.floor(length / 256);
  }
  return at + n + 1;
}

/**
 * SEQUENCE { messageID INTEGER, <body> }: the envelope of every response. The bodies of frequent
 * responses (a bind's result) are encoded once and reused, so the bind path allocates one buffer.
 */
export function envelope(messageId: number, body: Buffer): Buffer {
  // messageID is 0 … 2^31 − 1: two's complement needs a leading zero byte when the top bit is set.
  const idLength = messageId < 0x80 ? 1 : messageId < 0x8000 ? 2 : messageId < 0x800000 ? 3 : 4;
  const inner = 2 + idLength + body.length;
  const out = Buffer.allocUnsafe(1 + lengthBytes(inner) + inner);
  out[0] = TAG.sequence;
  let at = writeLength(out, 1, inner);
  out[at++] = TAG.integer;
  out[at++] = idLength;
  for (let i = idLength - 1; i >= 0; i--) out[at + idLength - 1 - i] = (messageId >>> (8 * i)) & 0xff;
  at += idLength;
  body.copy(out, at);
  return out;
}

/** The body of an encoded LDAPMessage (what follows the messageID), for caching with envelope(). */
export function messageBody(message: Buffer): Buffer {
  const outer = readLength(message, 1, message.length);
  const id = readLength(message, outer.start + 1, message.length);
  return Buffer.from(message.subarray(id.start + id.length));
}
