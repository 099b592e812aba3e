// LDAPMessage bytes → a request this door can act on (RFC 4511 §4). Anything malformed throws
// ProtocolError, which ends the connection with a Notice of Disconnection (RFC 4511 §4.1.1); a
// well-formed request the server will not carry out throws OperationError, answered with a result.

import protocol from '@ldapjs/protocol';
import { BerError, BerReader, TAG } from './ber.js';
import type { Filter } from './filter.js';

const OP = protocol.operations;
const FILTER = protocol.search;

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/** A request that is well-formed but answered with `code` instead of being carried out. */
export class OperationError extends Error {
  override readonly name = 'OperationError';
  constructor(
    readonly messageId: number,
    readonly responseTag: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

type Operation =
  | {
      op: 'bind';
      version: number;
      name: string;
      /** The simple password; null for SASL or another method, answered authMethodNotSupported. */
      password: Buffer | null;
    }
  | { op: 'unbind' }
  | {
      op: 'search';
      base: string;
      scope: number;
      sizeLimit: number;
      timeLimit: number;
      typesOnly: boolean;
      filter: Filter;
      attributes: string[];
    }
  | { op: 'abandon'; target: number }
  | { op: 'extended'; oid: string; value: Buffer | null }
  | { op: 'compare'; dn: string; attribute: string; value: string }
  /** add, delete, modify, modifyDN: refused whatever they say, so only their response tag is kept. */
  | { op: 'write' };

export type Request = Operation & {
  id: number;
  /** The tag of the response, or null for abandon and unbind, which have none. */
  responseTag: number | null;
  /** The first critical control, none of which this server supports (RFC 4511 §4.1.11). */
  criticalControl: string | null;
};

export const SCOPE = { base: 0, one: 1, sub: 2 } as const;

const MAX_FILTER_DEPTH = 32;
const MAX_FILTER_NODES = 1024;
const MAX_ATTRIBUTES = 256;
const RC = protocol.resultCodes;

const RESPONSE_TAGS: Record<number, number> = {
  [OP.LDAP_REQ_BIND]: OP.LDAP_RES_BIND,
  [OP.LDAP_REQ_SEARCH]: OP.LDAP_RES_SEARCH_DONE,
  [OP.LDAP_REQ_MODIFY]: OP.LDAP_RES_MODIFY,
  [OP.LDAP_REQ_ADD]: OP.LDAP_RES_ADD,
  [OP.LDAP_REQ_DELETE]: OP.LDAP_RES_DELETE,
  [OP.LDAP_REQ_MODRDN]: OP.LDAP_RES_MODRDN,
  [OP.LDAP_REQ_COMPARE]: OP.LDAP_RES_COMPARE,
  [OP.LDAP_REQ_EXTENSION]: OP.LDAP_RES_EXTENSION,
};

export function decodeRequest(frame: Buffer): Request {
  try {
    return decode(frame);
  } catch (e) {
    if (e instanceof BerError) throw new ProtocolError(`malformed message: ${e.message}`);
    throw e;
  }
}

function decode(frame: Buffer): Request {
  const message = new BerReader(frame).sequence();
  const id = message.int();
  // 0 is reserved for unsolicited notifications (RFC 4511 §4.1.1.1).
  if (id <= 0) throw new ProtocolError('invalid message ID');
  const tag = message.peek();
  const responseTag = RESPONSE_TAGS[tag] ?? null;
  let operation: Operation;
  switch (tag) {
    case OP.LDAP_REQ_BIND:
      operation = bind(message.sequence(tag));
      break;
    case OP.LDAP_REQ_SEARCH:
      operation = search(message.sequence(tag), id);
      break;
    case OP.LDAP_REQ_EXTENSION:
      operation = extended(message.sequence(tag));
      break;
    case OP.LDAP_REQ_COMPARE:
      operation = compare(message.sequence(tag));
      break;
    case OP.LDAP_REQ_ABANDON:
      operation = { op: 'abandon', target: message.int(tag) };
      break;
    case OP.LDAP_REQ_UNBIND:
      message.octets(tag);
      operation = { op: 'unbind' };
      break;
    case OP.LDAP_REQ_DELETE:
      message.octets(tag);
      operation = { op: 'write' };
      break;
    case OP.LDAP_REQ_ADD:
    case OP.LDAP_REQ_MODIFY:
    case OP.LDAP_REQ_MODRDN:
      message.sequence(tag);
      operation = { op: 'write' };
      break;
    default:
      throw new ProtocolError(`unknown operation 0x${tag.toString(16)}`);
  }
  const criticalControl = message.peek() === 0xa0 ? controls(message.sequence(0xa0)) : null;
  return { ...operation, id, responseTag, criticalControl } as Request;
}

function bind(r: BerReader): Operation {
  const version = r.int();
  const name = r.string();
  // simple [0] is the only method offered; SASL [3] and anything else get authMethodNotSupported.
  const password = r.peek() === 0x80 ? r.octets(0x80) : null;
  if (password === null) r.skip();
  return { op: 'bind', version, name, password };
}

function search(r: BerReader, id: number): Operation {
  const base = r.string();
  const scope = r.enumerated();
  r.enumerated(); // derefAliases: there are no aliases here
  const sizeLimit = r.int();
  const timeLimit = r.int();
  const typesOnly = r.boolean();
  const budget = { nodes: 0 };
  const filterResult = filter(r, 0, budget);
  const list = r.sequence();
  const attributes: string[] = [];
  while (!list.done) {
    attributes.push(list.string());
    if (attributes.length > MAX_ATTRIBUTES) {
      throw new OperationError(id, OP.LDAP_RES_SEARCH_DONE, RC.ADMIN_LIMIT_EXCEEDED, 'Too many attributes.');
    }
  }
  if (scope !== 0 && scope !== 1 && scope !== 2) {
    throw new OperationError(id, OP.LDAP_RES_SEARCH_DONE, RC.PROTOCOL_ERROR, 'Unknown search scope.');
  }
  if (sizeLimit < 0 || timeLimit < 0) {
    throw new OperationError(id, OP.LDAP_RES_SEARCH_DONE, RC.PROTOCOL_ERROR, 'Negative limit.');
  }
  if (filterResult === null) {
    throw new OperationError(
      id,
      OP.LDAP_RES_SEARCH_DONE,
      RC.ADMIN_LIMIT_EXCEEDED,
      'The search filter is too complex.',
    );
  }
  return { op: 'search', base, scope, sizeLimit, timeLimit, typesOnly, filter: filterResult, attributes };
}

/**
 * One filter (RFC 4511 §4.5.1.7). Returns null — after reading the whole element, so that the rest of
 * the request is still checked — when it nests deeper or has more parts than this server evaluates.
 */
function filter(r: BerReader, depth: number, budget: { nodes: number }): Filter | null {
  const tag = r.peek();
  budget.nodes++;
  if (depth >= MAX_FILTER_DEPTH || budget.nodes > MAX_FILTER_NODES) {
    r.skip();
    return null;
  }
  switch (tag) {
    case FILTER.FILTER_AND:
    case FILTER.FILTER_OR: {
      const set = r.sequence(tag);
      const filters: Filter[] = [];
      let tooComplex = false;
      while (!set.done) {
        const f = filter(set, depth + 1, budget);
        if (f === null) tooComplex = true;
        else filters.push(f);
      }
      if (tooComplex) return null;
      return { type: tag === FILTER.FILTER_AND ? 'and' : 'or', filters };
    }
    case FILTER.FILTER_NOT: {
      const inner = r.sequence(tag);
      const f = filter(inner, depth + 1, budget);
      return f === null ? null : { type: 'not', filter: f };
    }
    case FILTER.FILTER_EQUALITY:
    case FILTER.FILTER_GE:
    case FILTER.FILTER_LE:
    case FILTER.FILTER_APPROX: {
      const ava = r.sequence(tag);
      const attribute = ava.string();
      const value = ava.string();
      const type =
        tag === FILTER.FILTER_EQUALITY
          ? 'equality'
          : tag === FILTER.FILTER_GE
            ? 'ge'
            : tag === FILTER.FILTER_LE
              ? 'le'
              : 'approx';
      return { type, attribute, value };
    }
    case FILTER.FILTER_SUBSTRINGS: {
      const s = r.sequence(tag);
      const attribute = s.string();
      const parts = s.sequence();
      let initial: string | null = null;
      let final: string | null = null;
      const any: string[] = [];
      if (parts.done) throw new BerError('empty substrings');
      while (!parts.done) {
        const t = parts.peek();
        // initial only first, final only last (RFC 4511 §4.5.1.7.2).
        if (t === 0x80 && initial === null && any.length === 0 && final === null) initial = parts.string(t);
        else if (t === 0x81 && final === null) any.push(parts.string(t));
        else if (t === 0x82 && final === null) final = parts.string(t);
        else throw new BerError('bad substrings');
      }
      return { type: 'substrings', attribute, initial, any, final };
    }
    case FILTER.FILTER_PRESENT:
      return { type: 'present', attribute: r.string(tag) };
    case FILTER.FILTER_EXT:
      r.sequence(tag);
      return { type: 'extensible' };
    default:
      throw new BerError(`unknown filter 0x${tag.toString(16)}`);
  }
}

function extended(r: BerReader): Operation {
  const oid = r.string(0x80);
  const value = r.peek() === 0x81 ? r.octets(0x81) : null;
  return { op: 'extended', oid, value };
}

function compare(r: BerReader): Operation {
  const dn = r.string();
  const ava = r.sequence();
  return { op: 'compare', dn, attribute: ava.string(), value: ava.string() };
}

/** Controls are read to honour criticality (RFC 4511 §4.1.11); none are supported. */
function controls(r: BerReader): string | null {
  let critical: string | null = null;
  while (!r.done) {
    const c = r.sequence();
    const type = c.string();
    const isCritical = c.peek() === TAG.boolean ? c.boolean() : false;
    if (c.peek() === TAG.octetString) c.octets();
    if (isCritical && critical === null) critical = type;
  }
  return critical;
}
