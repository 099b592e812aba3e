// The few attribute types this directory serves, their aliases and OIDs, and how their values compare
// (the matching rules of RFC 4517/4519, reduced to what these attributes need). Attribute names in
// requests are case-insensitive; clients may also name a type by its OID or an alias (commonName, …).

/** How values of an attribute compare in filters and compare operations. */
export type Matching =
  /** caseIgnoreMatch / caseIgnoreIA5Match: case and insignificant spaces do not count. */
  | 'caseIgnore'
  /** objectIdentifierMatch on object class names (or their OIDs). */
  | 'objectClass'
  /** distinguishedNameMatch: both sides are parsed and compared RDN by RDN. */
  | 'dn';

export interface AttributeType {
  /** The name this server writes in entries. */
  name: string;
  matching: Matching;
  /** Whether substring filters apply (memberOf, a DN, has no substring rule). */
  substrings: boolean;
}

const TYPES: Record<string, AttributeType> = {
  objectclass: { name: 'objectClass', matching: 'objectClass', substrings: false },
  uid: { name: 'uid', matching: 'caseIgnore', substrings: true },
  cn: { name: 'cn', matching: 'caseIgnore', substrings: true },
  sn: { name: 'sn', matching: 'caseIgnore', substrings: true },
  displayname: { name: 'displayName', matching: 'caseIgnore', substrings: true },
  mail: { name: 'mail', matching: 'caseIgnore', substrings: true },
  memberof: { name: 'memberOf', matching: 'dn', substrings: false },
  ou: { name: 'ou', matching: 'caseIgnore', substrings: true },
  dc: { name: 'dc', matching: 'caseIgnore', substrings: true },
  o: { name: 'o', matching: 'caseIgnore', substrings: true },
};

/** Other names of the same types: RFC 4519 aliases and numeric OIDs. */
const ALIASES: Record<string, string> = {
  '2.5.4.0': 'objectclass',
  userid: 'uid',
  '0.9.2342.19200300.100.1.1': 'uid',
  commonname: 'cn',
  '2.5.4.3': 'cn',
  surname: 'sn',
  '2.5.4.4': 'sn',
  '2.16.840.1.113730.3.1.241': 'displayname',
  rfc822mailbox: 'mail',
  '0.9.2342.19200300.100.1.3': 'mail',
  organizationalunitname: 'ou',
  '2.5.4.11': 'ou',
  domaincomponent: 'dc',
  '0.9.2342.19200300.100.1.25': 'dc',
  organizationname: 'o',
  '2.5.4.10': 'o',
};

/** The registry key of an attribute description ("CN", "commonName", "2.5.4.3" → "cn"), or null. */
export function attributeKey(description: string): string | null {
  let key = description.toLowerCase();
  if (key.startsWith('oid.')) key = key.slice(4);
  key = ALIASES[key] ?? key;
  return Object.hasOwn(TYPES, key) ? key : null;
}

export function attributeType(key: string): AttributeType {
  return TYPES[key]!;
}

/** Lower-case name of an attribute type for DN comparison: aliases and OIDs resolved where known. */
export function dnAttributeName(type: string): string {
  const lower = type.toLowerCase();
  const key = ALIASES[lower.startsWith('oid.') ? lower.slice(4) : lower];
  return key ?? lower;
}

/** Object classes by OID, so that (objectClass=2.5.6.6) means person. */
const CLASS_OIDS: Record<string, string> = {
  '2.5.6.0': 'top',
  '2.5.6.6': 'person',
  '2.5.6.7': 'organizationalperson',
  '2.16.840.1.113730.3.2.2': 'inetorgperson',
  '2.5.6.5': 'organizationalunit',
  '0.9.2342.19200300.100.4.13': 'domain',
  '2.5.6.4': 'organization',
};

export function normalizeObjectClass(value: string): string {
  const v = value.trim().toLowerCase();
  return CLASS_OIDS[v] ?? v;
}

const SPACES = /\s+/g;

/**
 * caseIgnoreMatch preparation (RFC 4518, reduced): compatibility-normalized, case-folded, with leading
 * and trailing spaces removed and inner runs of spaces counted as one.
 */
export function normalizeCaseIgnore(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(SPACES, ' ').trim();
}

/** The same for one piece of a substring filter: its edges may be significant, so no trimming. */
export function normalizeSubstring(value: string): string {
  return value.normalize('NFKC').toLowerCase().replace(SPACES, ' ');
}
