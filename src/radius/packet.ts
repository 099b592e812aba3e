// RADIUS packets (RFC 2865) and their keyed checks: the Message-Authenticator (RFC 3579, HMAC-MD5),
// the Response Authenticator, the User-Password cipher (RFC 2865 §5.2). Only what an authentication
// server needs: reading an Access-Request, writing an Access-Accept or Access-Reject.
//
// Hand-written on node:crypto rather than taken from npm: the one packet library there (`radius`) is
// plain JavaScript with dictionary files read at run time, little maintained, and gives no say over the
// order of attributes, which BlastRADIUS makes a security property (Message-Authenticator first).
// Everything here reads bounds before bytes: a malformed datagram is null, never an exception.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const ACCESS_REQUEST = 1;
export const ACCESS_ACCEPT = 2;
export const ACCESS_REJECT = 3;

export const ATTR = {
  USER_NAME: 1,
  USER_PASSWORD: 2,
  CHAP_PASSWORD: 3,
  FRAMED_IP_ADDRESS: 8,
  CLASS: 25,
  VENDOR_SPECIFIC: 26,
  CALLING_STATION_ID: 31,
  NAS_IDENTIFIER: 32,
  PROXY_STATE: 33,
  CHAP_CHALLENGE: 60,
  EAP_MESSAGE: 79,
  MESSAGE_AUTHENTICATOR: 80,
} as const;

/** Microsoft's vendor id and its MS-CHAP attributes (RFC 2548). */
const VENDOR_MICROSOFT = 311;
const MS_CHAP_ATTRS = new Set([1, 11, 25]); // MS-CHAP-Response, MS-CHAP-Challenge, MS-CHAP2-Response

const HEADER = 20;
/** RFC 2865 §3: the largest packet. Anything longer is dropped. */
export const MAX_PACKET = 4096;

export interface Attribute {
  type: number;
  /** Offset of the attribute's value in the packet. */
  offset: number;
  value: Buffer;
}

export interface Packet {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: Attribute[];
  /** The packet's own bytes (the datagram may be longer: RFC 2865 says to ignore the rest). */
  raw: Buffer;
}

/** The packet in a datagram, or null when it is not a well-formed RADIUS packet. */
export function parsePacket(datagram: Buffer): Packet | null {
  if (datagram.length < HEADER || datagram.length > MAX_PACKET) return null;
  const length = datagram.readUInt16BE(2);
  if (length < HEADER || length > datagram.length) return null;
  const raw = datagram.subarray(0, length);
  const attributes: Attribute[] = [];
  let at = HEADER;
  while (at < length) {
    if (at + 2 > length) return null;
    const type = raw[at]!;
    const len = raw[at + 1]!;
    if (len < 2 || at + len > length) return null;
    attributes.push({ type, offset: at + 2, value: raw.subarray(at + 2, at + len) });
    at += len;
  }
  return {
    code: raw[0]!,
    identifier: raw[1]!,
    authenticator: raw.subarray(4, HEADER),
    attributes,
    raw,
  };
}

export function attribute(p: Packet, type: number): Attribute | undefined {
  return p.attributes.find((a) => a.type === type);
}

export function count(p: Packet, type: number): number {
  let n = 0;
  for (const a of p.attributes) if (a.type === type) n++;
  return n;
}

/** Whether the request carries MS-CHAP (v1 or v2) vendor attributes. */
export function hasMsChap(p: Packet): boolean {
  for (const a of p.attributes) {
    if (a.type !== ATTR.VENDOR_SPECIFIC || a.value.length < 6) continue;
    if (a.value.readUInt32BE(0) !== VENDOR_MICROSOFT) continue;
    // Vendor attributes inside: type, length, value...
    let at = 4;
    while (at + 2 <= a.value.length) {
      const t = a.value[at]!;
      const l = a.value[at + 1]!;
      if (l < 2) break;
      if (MS_CHAP_ATTRS.has(t)) return true;
      at += l;
    }
  }
  return false;
}

/**
 * RFC 3579 §3.2: HMAC-MD5 under the secret over the packet with the Message-Authenticator's value
 * zeroed. `true` when the attribute is there, 16 bytes long and right; compared in constant time.
 */
export function messageAuthenticatorValid(p: Packet, secret: Buffer): boolean {
  const ma = attribute(p, ATTR.MESSAGE_AUTHENTICATOR);
  if (ma === undefined || ma.value.length !== 16) return false;
  if (count(p, ATTR.MESSAGE_AUTHENTICATOR) !== 1) return false;
  const copy = Buffer.from(p.raw);
  copy.fill(0, ma.offset, ma.offset + 16);
  const expected = createHmac('md5', secret).update(copy).digest();
  return timingSafeEqual(expected, ma.value);
}

/**
 * RFC 2865 §5.2: the User-Password, deciphered with the MD5 chain keyed by the secret and the Request
 * Authenticator. Null when its length is not 16 to 128 in steps of 16. Trailing NULs (the padding) are
 * dropped. With a wrong secret this yields noise, which the decision then refuses like a wrong password.
 */
export function decryptUserPassword(value: Buffer, secret: Buffer, authenticator: Buffer): Buffer | null {
  if (value.length < 16 || value.length > 128 || value.length % 16 !== 0) return null;
  const out = Buffer.alloc(value.length);
  let previous = authenticator;
  for (let i = 0; i < value.length; i += 16) {
    const b = createHash('md5').update(secret).update(previous).digest();
    for (let j = 0; j < 16; j++) out[i + j] = value[i + j]! ^ b[j]!;
    previous = value.subarray(i, i + 16);
  }
  let end = out.length;
  while (end > 0 && out[end - 1] === 0) end--;
  return out.subarray(0, end);
}

/** The client side of §5.2, for tests: a password enciphered as a NAS would. */
export function encryptUserPassword(password: Buffer, secret: Buffer, authenticator: Buffer): Buffer {
  const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(padded);
  const out = Buffer.alloc(padded.length);
  let previous = authenticator;
  for (let i = 0; i < padded.length; i += 16) {
    const b = createHash('md5').update(secret).update(previous).digest();
    for (let j = 0; j < 16; j++) out[i + j] = padded[i + j]! ^ b[j]!;
    previous = out.subarray(i, i + 16);
  }
  return out;
}

/**
 * A response to `request`: Message-Authenticator FIRST (BlastRADIUS, CVE-2024-3596: an attacker's
 * chosen-prefix MD5 collision needs attributes of its own before it), then the given attributes, then
 * the request's Proxy-State attributes in their order (RFC 2865 §5.33, which proxies such as FreeRADIUS
 * need). The Message-Authenticator is computed over the packet with the Request Authenticator in place
 * (RFC 3579 §3.2), then the Response Authenticator over the whole (RFC 2865 §3).
 */
export function encodeResponse(
  code: number,
  request: Packet,
  secret: Buffer,
  attrs: { type: number; value: Buffer }[],
): Buffer {
  const all = [
    { type: ATTR.MESSAGE_AUTHENTICATOR, value: Buffer.alloc(16) },
    ...attrs,
    ...request.attributes.filter((a) => a.type === ATTR.PROXY_STATE),
  ];
  let length = HEADER;
  for (const a of all) length += 2 + a.value.length;
  if (length > MAX_PACKET) throw new Error('RADIUS response too long');
  const out = Buffer.alloc(length);
  out[0] = code;
  out[1] = request.identifier;
  out.writeUInt16BE(length, 2);
  request.authenticator.copy(out, 4);
  let at = HEADER;
  for (const a of all) {
    out[at] = a.type;
    out[at + 1] = 2 + a.value.length;
    a.value.copy(out, at + 2);
    at += 2 + a.value.length;
  }
  createHmac('md5', secret)
    .update(out)
    .digest()
    .copy(out, HEADER + 2);
  createHash('md5').update(out).update(secret).digest().copy(out, 4);
  return out;
}

/** An Access-Request as a NAS would send it (tests, and `latchkey doctor` some day). */
export function encodeRequest(
  identifier: number,
  authenticator: Buffer,
  secret: Buffer,
  attrs: { type: number; value: Buffer }[],
  withMessageAuthenticator = true,
): Buffer {
  const all = withMessageAuthenticator
    ? [{ type: ATTR.MESSAGE_AUTHENTICATOR, value: Buffer.alloc(16) }, ...attrs]
    : attrs;
  let length = HEADER;
  for (const a of all) length += 2 + a.value.length;
  const out = Buffer.alloc(length);
  out[0] = ACCESS_REQUEST;
  out[1] = identifier;
  out.writeUInt16BE(length, 2);
  authenticator.copy(out, 4);
  let at = HEADER;
  for (const a of all) {
    out[at] = a.type;
    out[at + 1] = 2 + a.value.length;
    a.value.copy(out, at + 2);
    at += 2 + a.value.length;
  }
  if (withMessageAuthenticator)
    createHmac('md5', secret)
      .update(out)
      .digest()
      .copy(out, HEADER + 2);
  return out;
}

/** Whether `response` is a correct answer to `request` under `secret` (Response Authenticator). */
export function responseAuthenticatorValid(
  response: Buffer,
  requestAuthenticator: Buffer,
  secret: Buffer,
): boolean {
  if (response.length < HEADER) return false;
  const copy = Buffer.from(response);
  requestAuthenticator.copy(copy, 4);
  const expected = createHash('md5').update(copy).update(secret).digest();
  return timingSafeEqual(expected, response.subarray(4, HEADER));
}
