// The entries this directory shows: people as inetOrgPerson, the two containers above them, and the
// rootDSE; and which of an entry's attributes a search returns (RFC 4511 §4.5.1.8).

import type { Person } from '../core/directory.js';
import { type DirectoryNames, dnKey, parseDn } from './dn.js';
import { attributeKey, attributeType, normalizeCaseIgnore, normalizeObjectClass } from './schema.js';

interface Attribute {
  /** Registry key (see schema.ts), or the lower-case name for attributes outside it. */
  key: string;
  name: string;
  values: string[];
  /** The rootDSE's attributes (RFC 4512 §5.1); people have none. */
  operational: boolean;
}

export class Entry {
  private normalizedValues: Map<string, string[]> | null = null;

  constructor(
    readonly dn: string,
    readonly attributes: readonly Attribute[],
  ) {}

  values(key: string): string[] {
    for (const a of this.attributes) if (a.key === key) return a.values;
    return [];
  }

  /** Values as the attribute's matching rule compares them; computed once per entry and attribute. */
  normalized(key: string): string[] {
    this.normalizedValues ??= new Map();
    let out = this.normalizedValues.get(key);
    if (out === undefined) {
      const values = this.values(key);
      switch (attributeType(key).matching) {
        case 'caseIgnore':
          out = values.map(normalizeCaseIgnore);
          break;
        case 'objectClass':
          out = values.map(normalizeObjectClass);
          break;
        case 'dn':
          out = values.map((v) => dnKey(v) ?? '');
          break;
      }
      this.normalizedValues.set(key, out);
    }
    return out;
  }
}

function attr(key: string, values: string[], operational = false): Attribute {
  return { key, name: attributeKey(key) === null ? key : attributeType(key).name, values, operational };
}

const PERSON_CLASSES = ['top', 'person', 'organizationalPerson', 'inetOrgPerson'];

export function personEntry(p: Person, names: DirectoryNames): Entry {
  const displayName = p.displayName;
  // person requires sn; the last word of the display name is the best guess at a surname.
  const sn = displayName ? (displayName.trim().split(/\s+/).pop() ?? p.username) : p.username;
  const attributes = [
    attr('objectclass', PERSON_CLASSES),
    attr('uid', [p.username]),
    attr('cn', [displayName ?? p.username]),
    attr('sn', [sn]),
  ];
  if (displayName) attributes.push(attr('displayname', [displayName]));
  if (p.email) attributes.push(attr('mail', [p.email]));
  if (p.groups.length > 0) {
    attributes.push(
      attr(
        'memberof',
        p.groups.map((g) => names.groupDn(g)),
      ),
    );
  }
  return new Entry(names.personDn(p.username), attributes);
}

/** The base DN's own entry: a domain for dc=…, an organization for o=…, a unit for ou=…. */
export function baseEntry(names: DirectoryNames): Entry {
  const first = parseDn(names.base)[0]![0]!;
  const type = first.type.toLowerCase();
  const structural =
    type === 'dc' ? 'domain' : type === 'o' ? 'organization' : type === 'ou' ? 'organizationalUnit' : null;
  const classes = structural ? ['top', structural] : ['top', 'extensibleObject'];
  const rdnKey = attributeKey(type) ?? type;
  return new Entry(names.base, [attr('objectclass', classes), attr(rdnKey, [first.value])]);
}

export function peopleEntry(names: DirectoryNames): Entry {
  return new Entry(names.people, [
    attr('objectclass', ['top', 'organizationalUnit']),
    attr('ou', ['people']),
  ]);
}

export const WHO_AM_I_OID = '1.3.6.1.4.1.4203.1.11.3';
export const START_TLS_OID = '1.3.6.1.4.1.1466.20037';
export const NOTICE_OF_DISCONNECTION_OID = '1.3.6.1.4.1.1466.20036';

export function rootDseEntry(names: DirectoryNames, startTls: boolean): Entry {
  const op = (name: string, values: string[]): Attribute => ({
    key: name.toLowerCase(),
    name,
    values,
    operational: true,
  });
  return new Entry('', [
    attr('objectclass', ['top']),
    op('namingContexts', [names.base]),
    op('supportedLDAPVersion', ['3']),
    op('supportedExtension', startTls ? [WHO_AM_I_OID, START_TLS_OID] : [WHO_AM_I_OID]),
    op('vendorName', ['Latchkey']),
  ]);
}

/** Which attributes a search returns. */
export interface Selection {
  /** Every user attribute: an empty list or "*". */
  all: boolean;
  /** "+": every operational attribute. */
  operational: boolean;
  /** Attributes asked for by name, as registry keys (or lower-case names outside the registry). */
  names: ReadonlySet<string>;
}

export function selection(requested: readonly string[]): Selection {
  if (requested.length === 0) return { all: true, operational: false, names: new Set() };
  const names = new Set<string>();
  let all = false;
  let operational = false;
  for (const r of requested) {
    if (r === '*') all = true;
    else if (r === '+') operational = true;
    // "1.1" means no attributes; next to other names it means nothing at all (RFC 4511 §4.5.1.8).
    else if (r !== '1.1') names.add(attributeKey(r) ?? r.toLowerCase());
  }
  return { all, operational, names };
}

/**
 * The attributes of `entry` that `sel` asks for. This directory's only operational attributes are the
 * rootDSE's, and clients read those without asking for "+": "*" and an empty list return them too.
 */
export function selectAttributes(entry: Entry, sel: Selection): Attribute[] {
  return entry.attributes.filter(
    (a) => a.values.length > 0 && (sel.all || (a.operational && sel.operational) || sel.names.has(a.key)),
  );
}
