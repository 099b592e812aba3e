// Responses on the wire. LDAPResult messages and extended responses are encoded by @ldapjs/messages;
// search entries by @ldapjs/asn1's writer directly (the message classes re-parse the DN and wrap every
// attribute, eight times slower for the same bytes). Result bodies with fixed text are encoded once and
// reused with a new message ID, so that answering a bind costs one small buffer.

import asn1 from '@ldapjs/asn1';
import messages from '@ldapjs/messages';
import protocol from '@ldapjs/protocol';
import { envelope, messageBody, TAG } from './ber.js';
import { NOTICE_OF_DISCONNECTION_OID } from './entries.js';

const OP = protocol.operations;

const RESULT_CLASSES = {
  [OP.LDAP_RES_BIND]: messages.BindResponse,
  [OP.LDAP_RES_SEARCH_DONE]: messages.SearchResultDone,
  [OP.LDAP_RES_ADD]: messages.AddResponse,
  [OP.LDAP_RES_DELETE]: messages.DeleteResponse,
  [OP.LDAP_RES_MODIFY]: messages.ModifyResponse,
  [OP.LDAP_RES_MODRDN]: messages.ModifyDnResponse,
  [OP.LDAP_RES_COMPARE]: messages.CompareResponse,
};

/** Bodies by response tag, code, matched DN and message: all of them fixed strings of this door. */
const bodies = new Map<string, Buffer>();
const MAX_CACHED_BODIES = 1024;

/**
 * An LDAPResult (bind, search done, add, …; an extended response without name or value). The
 * diagnostic message is shown to the client: it must never contain a secret or echo client input.
 */
export function result(
  messageId: number,
  responseTag: number,
  code: number,
  diagnosticMessage = '',
  matchedDN = '',
): Buffer {
  const key = `${responseTag}\u0000${code}\u0000${matchedDN}\u0000${diagnosticMessage}`;
  let body = bodies.get(key);
  if (body === undefined) {
    const options = { messageId: 1, status: code, diagnosticMessage, matchedDN };
    const Class = RESULT_CLASSES[responseTag];
    const encoded = Class
      ? new Class(options).toBer().buffer
      : new messages.ExtensionResponse(options).toBer().buffer;
    body = messageBody(encoded);
    if (bodies.size < MAX_CACHED_BODIES) bodies.set(key, body);
  }
  return envelope(messageId, body);
}

export function extendedResponse(
  messageId: number,
  code: number,
  diagnosticMessage: string,
  responseName?: string,
  responseValue?: string,
): Buffer {
  return new messages.ExtensionResponse({
    messageId,
    status: code,
    diagnosticMessage,
    responseName,
    responseValue,
  }).toBer().buffer;
}

/** The unsolicited notice sent before the server closes a connection (RFC 4511 §4.4.1). */
export function noticeOfDisconnection(code: number, diagnosticMessage: string): Buffer {
  return extendedResponse(0, code, diagnosticMessage, NOTICE_OF_DISCONNECTION_OID);
}

export interface EntryAttribute {
  name: string;
  values: readonly string[];
}

export function searchEntry(
  messageId: number,
  dn: string,
  attributes: readonly EntryAttribute[],
  typesOnly: boolean,
): Buffer {
  const w = new asn1.BerWriter({ size: 512 });
  w.startSequence();
  w.writeInt(messageId);
  w.startSequence(OP.LDAP_RES_SEARCH_ENTRY);
  w.writeString(dn);
  w.startSequence();
  for (const a of attributes) {
    w.startSequence();
    w.writeString(a.name);
    w.startSequence(TAG.set);
    if (!typesOnly) for (const v of a.values) w.writeString(v);
    w.endSequence();
    w.endSequence();
  }
  w.endSequence();
  w.endSequence();
  w.endSequence();
  return w.buffer;
}
