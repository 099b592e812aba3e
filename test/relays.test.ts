// Which sources are relays (core/relays.ts): configured ranges, IPv4 by integer arithmetic and IPv6
// by BlockList. A wrong answer either lets an attacker's guesses count against a mail server's shared
// address or exempts a stranger from source lockout, so the edges are tested here.

import { describe, expect, it } from 'vitest';
import { ipv4ToInt, RelaySet } from '../src/core/relays.js';
import type { Store } from '../src/store/database.js';

const relays = (list: string[]) => new RelaySet({} as Store, Date.now, list);

describe('relays', () => {
  it('parses only well-formed dotted quads', () => {
    expect(ipv4ToInt('0.0.0.0')).toBe(0);
    expect(ipv4ToInt('255.255.255.255')).toBe(0xffffffff);
    expect(ipv4ToInt('192.0.2.10')).toBe(0xc000020a);
    for (const bad of [
      '',
      '1.2.3',
      '1.2.3.4.5',
      '256.1.1.1',
      '01.2.3.4',
      '1..2.3',
      '1.2.3.',
      'a.b.c.d',
      '::1',
      ' 1.2.3.4',
    ])
      expect(ipv4ToInt(bad), bad).toBeNull();
  });

  it('matches IPv4 ranges, single addresses and mapped addresses, and nothing else', () => {
    const r = relays(['10.0.0.0/8', '192.0.2.10', '198.51.100.128/25', '2001:db8::/32', '::1']);
    for (const yes of [
      '10.0.0.1',
      '10.255.255.255',
      '192.0.2.10',
      '198.51.100.128',
      '198.51.100.255',
      '::ffff:10.1.2.3',
      '2001:db8::5',
      '::1',
    ])
      expect(r.has(yes), yes).toBe(true);
    for (const no of [
      '11.0.0.1',
      '9.255.255.255',
      '192.0.2.11',
      '198.51.100.127',
      '2001:db9::5',
      '::2',
      '203.0.113.9',
      'unknown',
    ])
      expect(r.has(no), no).toBe(false);
    expect(relays(['0.0.0.0/0']).has('203.0.113.9')).toBe(true);
    expect(relays([]).has('10.0.0.1')).toBe(false);
  });

  it('answers the same for 20,000 different addresses as for the first (no memo limit changes it)', () => {
    const r = relays(['10.0.0.0/16']);
    let hits = 0;
    for (let i = 0; i < 20_000; i++)
      if (r.has(`10.0.${(i >> 8) & 255}.${i & 255}`) && !r.has(`10.${1 + (i & 7)}.0.${i & 255}`)) hits++;
    expect(hits).toBe(20_000);
    expect(r.has('10.1.0.1')).toBe(false);
  });
});
