// The two LDAP messages the bind load client needs, and nothing else.
//
// Requests are encoded once, before timing, with @ldapjs/asn1's BerWriter: an encoder independent of the
// server's decoder (src/ldap/decode.ts), so a bind slapd accepts and Latchkey refuses, or the reverse,
// points at a server. Responses are read by hand, in a few lines: the client reads one per bind, and a
// general decoder would spend in the client the CPU the servers are competing for.

import asn1 from '@ldapjs/asn1';

const SEQUENCE = 0x30;
/** [APPLICATION 0] BindRequest, constructed. */
const BIND_REQUEST = 0x60;
/** [APPLICATION 1] BindResponse, constructed. */
const BIND_RESPONSE = 0x61;
/** [0] simple: the password, primitive, context-specific. */
const AUTH_SIMPLE = 0x80;
const INTEGER = 0x02;
const ENUMERATED = 0x0a;

/** LDAPMessage { messageID, BindRequest { version 3, name, simple password } } (RFC 4511 §4.2). */
export function encodeSimpleBind(messageId: number, dn: string, password: string): Buffer {
  const w = new asn1.BerWriter();
  w.startSequence(SEQUENCE);
  w.writeInt(messageId);
  w.startSequence(BIND_REQUEST);
  w.writeInt(3);
  w.writeString(dn);
  w.writeString(password, AUTH_SIMPLE);
  w.endSequence();
  w.endSequence();
  return Buffer.from(w.buffer);
}

/** Tag, length and where the contents start, at `off`; null if the header is not all there yet. */
function header(buf: Buffer, off: number): { tag: number; length: number; start: number } | null {
  if (off + 2 > buf.length) return null;
  const tag = buf[off]!;
  const first = buf[off + 1]!;
  if (first < 0x80) return { tag, length: first, start: off + 2 };
  const n = first & 0x7f;
  if (n === 0 || n > 4) throw new Error(`unsupported BER length form 0x${first.toString(16)}`);
  if (off + 2 + n > buf.length) return null;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + buf[off + 2 + i]!;
  return { tag, length, start: off + 2 + n };
}

function readInteger(buf: Buffer, off: number, expectedTag: number): { value: number; end: number } {
  const h = header(buf, off);
  if (h === null || h.tag !== expectedTag || h.length < 1 || h.length > 4) {
    throw new Error('malformed LDAP response: integer expected');
  }
  let value = buf[h.start]! & 0x80 ? -1 : 0;
  for (let i = 0; i < h.length; i++) value = value * 256 + buf[h.start + i]!;
  return { value, end: h.start + h.length };
}

export interface LdapResponse {
  messageId: number;
  /** The protocolOp tag: 0x61 for a BindResponse, 0x78 for an ExtendedResponse (e.g. a Notice of Disconnection). */
  op: number;
  /** resultCode of an LDAPResult-shaped response. */
  resultCode: number;
}

/**
 * The length of the first whole LDAPMessage in `buf`, or 0 if it is not all there yet: TCP may deliver a
 * response in pieces.
 */
export function messageLength(buf: Buffer): number {
  const h = header(buf, 0);
  if (h === null) return 0;
  if (h.tag !== SEQUENCE) throw new Error(`malformed LDAP response: tag 0x${h.tag.toString(16)}`);
  const total = h.start + h.length;
  return total <= buf.length ? total : 0;
}

/** messageID, protocolOp and resultCode of one whole LDAPMessage. */
export function readResponse(msg: Buffer): LdapResponse {
  const outer = header(msg, 0)!;
  const id = readInteger(msg, outer.start, INTEGER);
  const op = header(msg, id.end);
  if (op === null) throw new Error('malformed LDAP response: no protocolOp');
  const rc = readInteger(msg, op.start, ENUMERATED);
  return { messageId: id.value, op: op.tag, resultCode: rc.value };
}

export const BIND_RESPONSE_TAG = BIND_RESPONSE;

/** The messageID of one whole LDAPMessage (request or response). */
export function readMessageId(msg: Buffer): number {
  const outer = header(msg, 0)!;
  return readInteger(msg, outer.start, INTEGER).value;
}

/** LDAPMessage { messageID, BindResponse { resultCode, matchedDN "", diagnosticMessage "" } }. */
export function encodeBindResponse(messageId: number, resultCode: number): Buffer {
  const w = new asn1.BerWriter();
  w.startSequence(SEQUENCE);
  w.writeInt(messageId);
  w.startSequence(BIND_RESPONSE);
  w.writeEnumeration(resultCode);
  w.writeString('');
  w.writeString('');
  w.endSequence();
  w.endSequence();
  return Buffer.from(w.buffer);
}
