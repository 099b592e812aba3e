// The LDAP door's pure parts, on inputs that are awkward to produce with real clients: DN syntax and
// the names a bind may use, the stream framer at every chunk boundary, the three-valued filter logic
// and its indexed lookups, and responses as another implementation (@ldapjs/messages) decodes them.

import asn1 from '@ldapjs/asn1';
import messages from '@ldapjs/messages';
import { describe, expect, it } from 'vitest';
import { DirectoryNames, DnSyntaxError, dnKey, parseDn } from '../src/ldap/dn.js';
import { extendedResponse, result, searchEntry } from '../src/ldap/encode.js';
import { personEntry } from '../src/ldap/entries.js';
import { type Filter, lookups, matches } from '../src/ldap/filter.js';
import { FrameError, Framer } from '../src/ldap/framing.js';

const names = new DirectoryNames('dc=example,dc=org', 'example.org');

describe('DNs', () => {
  it('parses RFC 4514 escapes, hex pairs, quoted and #hex values, spaces around separators', () => {
    expect(parseDn('cn=a\\,b\\2Bc , ou = x ;dc=y')).toEqual([
      [{ type: 'cn', value: 'a,b+c' }],
      [{ type: 'ou', value: 'x' }],
      [{ type: 'dc', value: 'y' }],
    ]);
    expect(parseDn('cn=J\\C3\\A9r\\C3\\B4me+uid=jr')).toEqual([
      [
        { type: 'cn', value: 'Jérôme' },
        { type: 'uid', value: 'jr' },
      ],
    ]);
    expect(parseDn('cn="a, b",uid=#0405616c696365')).toEqual([
      [{ type: 'cn', value: 'a, b' }],
      [{ type: 'uid', value: 'alice' }],
    ]);
    expect(parseDn('cn=trailing\\ ')).toEqual([[{ type: 'cn', value: 'trailing ' }]]);
    expect(parseDn('')).toEqual([]);
  });

  it('refuses malformed DNs quickly, including those that hang other parsers', () => {
    for (const bad of [
      'uid=# a',
      'ii =# <0',
      'uid',
      '=x',
      'uid=a,',
      'uid=a"b',
      'cn=\\',
      'cn=\\C3',
      'x'.repeat(5000),
    ]) {
      expect(() => parseDn(bad), bad).toThrow(DnSyntaxError);
    }
  });

  it('compares names case-insensitively, by OID or alias, whatever the spacing', () => {
    expect(dnKey('UID=Alice, OU=People,DC=Example,DC=ORG')).toBe(
      dnKey('uid=alice,ou=people,dc=example,dc=org'),
    );
    expect(dnKey('0.9.2342.19200300.100.1.1=alice,ou=people')).toBe(dnKey('userid=alice,ou=people'));
    expect(dnKey('cn=a+uid=b')).toBe(dnKey('uid=b+cn=a'));
    expect(dnKey('cn=a b')).toBe(dnKey('cn=a  b'));
  });

  it('knows which bind names are people and which are services', () => {
    expect(names.bindTarget('uid=alice,ou=people,dc=example,dc=org')).toEqual({
      kind: 'person',
      username: 'alice',
    });
    expect(names.bindTarget('uid=Al\\69ce,OU=People,DC=example,DC=org')).toEqual({
      kind: 'person',
      username: 'Alice',
    });
    expect(names.bindTarget(' alice ')).toEqual({ kind: 'person', username: 'alice' });
    expect(names.bindTarget('alice@EXAMPLE.org')).toEqual({ kind: 'person', username: 'alice' });
    expect(names.bindTarget('cn=dovecot,ou=services,dc=example,dc=org')).toEqual({
      kind: 'service',
      name: 'dovecot',
    });
    for (const other of [
      'alice@example.com',
      '@example.org',
      '',
      'cn=alice,ou=people,dc=example,dc=org',
      'uid=alice,ou=services,dc=example,dc=org',
      'uid=alice,ou=people,dc=example,dc=com',
      'uid=alice,ou=x,ou=people,dc=example,dc=org',
      'uid=alice+cn=x,ou=people,dc=example,dc=org',
      'uid=# a',
    ]) {
      expect(names.bindTarget(other), other).toBeNull();
    }
  });

  it('locates search bases', () => {
    expect(names.locate('')).toEqual({ kind: 'root' });
    expect(names.locate('DC=example, DC=org')).toEqual({ kind: 'base' });
    expect(names.locate('ou=people,dc=example,dc=org')).toEqual({ kind: 'people' });
    expect(names.locate('uid=bob,ou=people,dc=example,dc=org')).toEqual({ kind: 'person', username: 'bob' });
    expect(names.locate('ou=groups,dc=example,dc=org')).toEqual({
      kind: 'missing',
      matched: 'dc=example,dc=org',
    });
    expect(names.locate('cn=x,uid=bob,ou=people,dc=example,dc=org')).toEqual({
      kind: 'missing',
      matched: 'ou=people,dc=example,dc=org',
    });
    expect(names.locate('dc=org')).toEqual({ kind: 'outside' });
  });
});

describe('framing', () => {
  const bind = Buffer.from('300c020101600702010304000400', 'hex');
  const long = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.alloc(256, 0x04)]);

  it('cuts messages at any chunk boundary, without copying whole chunks', () => {
    const stream = Buffer.concat([bind, long, bind]);
    for (let size = 1; size <= stream.length; size++) {
      const f = new Framer(1024);
      const out: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) {
        f.push(stream.subarray(at, at + size));
        for (let m = f.next(); m !== null; m = f.next()) out.push(Buffer.from(m));
      }
      expect(out, `chunks of ${size}`).toEqual([bind, long, bind]);
      expect(f.buffered).toBe(0);
    }
  });

  it('refuses what is not a message, and what is over the cap, from the header alone', () => {
    const f = (bytes: string, max = 1024) => {
      const framer = new Framer(max);
      framer.push(Buffer.from(bytes, 'hex'));
      return () => framer.next();
    };
    expect(f('0400')).toThrow(FrameError);
    expect(f('3080')).toThrow(FrameError); // indefinite length
    expect(f('3085ffffffffff')).toThrow(FrameError); // a 5-byte length
    expect(f('308400010000')).toThrow(expect.objectContaining({ tooLarge: true }));
    expect(f('30')()).toBeNull(); // more to come
    expect(f('3082')()).toBeNull();
  });
});

describe('filters', () => {
  const alice = personEntry(
    {
      id: '1',
      username: 'alice',
      email: 'alice@example.org',
      displayName: 'Alice  Liddell',
      role: 'admin',
      groups: ['users', 'admins'],
    },
    names,
  );
  const eq = (attribute: string, value: string): Filter => ({ type: 'equality', attribute, value });

  it('match as LDAP matching rules do: case, spaces, aliases, OIDs, DNs', () => {
    expect(matches(eq('UID', 'ALICE'), alice)).toBe(true);
    expect(matches(eq('commonName', ' alice liddell '), alice)).toBe(true);
    expect(matches(eq('2.5.4.4', 'liddell'), alice)).toBe(true);
    expect(matches(eq('objectClass', '2.16.840.1.113730.3.2.2'), alice)).toBe(true);
    expect(matches(eq('memberOf', 'CN=Admins, OU=Groups, DC=Example, DC=Org'), alice)).toBe(true);
    expect(
      matches({ type: 'substrings', attribute: 'mail', initial: 'ALI', any: ['@'], final: '.ORG' }, alice),
    ).toBe(true);
    expect(
      matches({ type: 'substrings', attribute: 'uid', initial: 'ali', any: [], final: 'ice' }, alice),
    ).toBe(false);
  });

  it('are three-valued: NOT of an unknown attribute or of a rule-less assertion matches nothing', () => {
    expect(matches({ type: 'not', filter: eq('telephoneNumber', '1') }, alice)).toBe(false);
    expect(matches({ type: 'not', filter: { type: 'ge', attribute: 'uid', value: 'a' } }, alice)).toBe(false);
    expect(matches({ type: 'not', filter: { type: 'present', attribute: 'telephoneNumber' } }, alice)).toBe(
      true,
    );
    expect(matches({ type: 'not', filter: eq('uid', 'bob') }, alice)).toBe(true);
    expect(matches({ type: 'or', filters: [] }, alice)).toBe(false);
    expect(matches({ type: 'and', filters: [] }, alice)).toBe(true);
  });

  it('are answered by indexed lookups when every match must have a given uid or mail', () => {
    const dovecot: Filter = {
      type: 'and',
      filters: [
        eq('objectClass', 'inetOrgPerson'),
        { type: 'or', filters: [eq('uid', 'Bob'), eq('mail', 'bob@example.org')] },
      ],
    };
    expect(lookups(dovecot)).toEqual({ uids: ['bob'], mails: ['bob@example.org'] });
    expect(lookups({ type: 'and', filters: [eq('cn', 'x'), eq('uid', 'a')] })).toEqual({
      uids: ['a'],
      mails: [],
    });
    expect(lookups({ type: 'or', filters: [eq('uid', 'a'), eq('cn', 'x')] })).toBeNull();
    expect(lookups({ type: 'not', filter: eq('uid', 'a') })).toBeNull();
    expect(lookups({ type: 'present', attribute: 'uid' })).toBeNull();
  });
});

describe('responses', () => {
  const decode = (b: Buffer) => messages.LdapMessage.parse(new asn1.BerReader(b));

  it('carry every message ID, across the sizes of its encoding', () => {
    for (const id of [1, 127, 128, 255, 256, 32767, 32768, 65535, 2 ** 23 - 1, 2 ** 23, 2 ** 31 - 1]) {
      expect(decode(result(id, 0x61, 49, 'Invalid credentials.')), String(id)).toMatchObject({
        type: 'BindResponse',
        messageId: id,
        status: 49,
        diagnosticMessage: 'Invalid credentials.',
      });
    }
    expect(decode(result(7, 0x65, 32, '', 'dc=example,dc=org'))).toMatchObject({
      type: 'SearchResultDone',
      messageId: 7,
      status: 32,
      matchedDN: 'dc=example,dc=org',
    });
    expect(decode(extendedResponse(0, 2, 'Malformed request.', '1.3.6.1.4.1.1466.20036'))).toMatchObject({
      messageId: 0,
      status: 2,
      responseName: '1.3.6.1.4.1.1466.20036',
    });
  });

  it('encode entries, with and without values', () => {
    const attrs = [
      { name: 'uid', values: ['alice'] },
      { name: 'cn', values: ['Ålice', 'x'.repeat(300)] },
    ];
    const entry = decode(searchEntry(2 ** 20, 'uid=alice,ou=people,dc=example,dc=org', attrs, false));
    expect(entry.objectName!.toString()).toBe('uid=alice,ou=people,dc=example,dc=org');
    expect(entry.attributes!.map((a) => [a.type, a.values])).toEqual(attrs.map((a) => [a.name, a.values]));
    const typesOnly = decode(searchEntry(3, 'uid=alice,ou=people,dc=example,dc=org', attrs, true));
    expect(typesOnly.attributes!.map((a) => [a.type, a.values])).toEqual([
      ['uid', []],
      ['cn', []],
    ]);
  });
});
