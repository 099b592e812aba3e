// Search and compare over the people directory. Who may see what is the core's rule: a service account
// (or an administrator) sees everyone, a person only their own entry (core.directory.findPerson enforces
// it), and an anonymous connection sees only the rootDSE.
//
// Anonymous searches get insufficientAccessRights rather than an empty success: spec §3 says they are
// refused, an operator whose app forgot its bind DN learns why at once, and the answer is the same for
// every base and filter, so it discloses nothing.
//
// Equality filters on uid and mail (and ORs of them, as Dovecot's `(|(uid=%u)(mail=%u))`) are indexed
// lookups; anything else is a keyset scan in username order, page by page, stopping at the size limit.

import protocol from '@ldapjs/protocol';
import type { Person } from '../core/directory.js';
import type { Actor } from '../core/policy.js';
import type { DoorContext, Identity, OperationHandle } from './context.js';
import { SCOPE } from './decode.js';
import { DnSyntaxError, type Location } from './dn.js';
import { result, searchEntry } from './encode.js';
import { type Entry, personEntry, type Selection, selectAttributes, selection } from './entries.js';
import { equality, type Filter, lookups, matches, TRUE, UNDEFINED } from './filter.js';
import { attributeKey } from './schema.js';

const RC = protocol.resultCodes;
const DONE = protocol.operations.LDAP_RES_SEARCH_DONE;
const COMPARE = protocol.operations.LDAP_RES_COMPARE;

/** The most entries one search returns, whatever the client's size limit. */
export const MAX_ENTRIES = 1000;
const PAGE = 500;

const ANONYMOUS_REFUSED = 'Anonymous search is not allowed: bind as a service account first.';

export interface SearchRequest {
  id: number;
  base: string;
  scope: number;
  sizeLimit: number;
  timeLimit: number;
  typesOnly: boolean;
  filter: Filter;
  attributes: string[];
}

function locate(door: DoorContext, dn: string): Location | null {
  try {
    return door.names.locate(dn);
  } catch (e) {
    if (e instanceof DnSyntaxError) return null;
    throw e;
  }
}

export async function search(
  door: DoorContext,
  req: SearchRequest,
  identity: Identity | null,
  op: OperationHandle,
): Promise<void> {
  const done = (code: number, message = '', matched = '') => {
    if (!op.abandoned) op.send(result(req.id, DONE, code, message, matched));
  };
  const where = locate(door, req.base);
  if (where === null) return done(RC.INVALID_DN_SYNTAX, 'The search base is not a valid DN.');
  if (where.kind === 'outside') return done(RC.NO_SUCH_OBJECT, `Entries are under ${door.names.base}.`);
  const out = new Output(req, op);
  if (where.kind === 'root') {
    if (req.scope !== SCOPE.base) return done(RC.NO_SUCH_OBJECT, 'Search from the base DN.');
    await out.offer(door.rootDse);
    return out.finish(done);
  }
  if (identity === null) return done(RC.INSUFFICIENT_ACCESS_RIGHTS, ANONYMOUS_REFUSED);
  if (where.kind === 'missing') return done(RC.NO_SUCH_OBJECT, '', where.matched);

  const actor = identity.actor;
  if (where.kind === 'person') {
    const p = await door.core.directory.findPerson(actor, where.username);
    // Someone else's entry, for a person, does not exist: the same answer as a name nobody has.
    if (p === null) return done(RC.NO_SUCH_OBJECT, '', door.names.people);
    // Scope one lists a person's children: there are none.
    if (req.scope !== SCOPE.one) await out.offer(personEntry(p, door.names));
    return out.finish(done);
  }
  // The base DN's entry, ou=people (its only child here), then the people below it.
  const containers: Entry[] = [];
  if (where.kind === 'base') {
    if (req.scope !== SCOPE.one) containers.push(door.baseEntry);
    if (req.scope !== SCOPE.base) containers.push(door.peopleEntry);
  } else if (req.scope !== SCOPE.one) {
    containers.push(door.peopleEntry);
  }
  for (const c of containers) if (!(await out.offer(c))) return out.finish(done);
  const peopleInScope = where.kind === 'base' ? req.scope === SCOPE.sub : req.scope !== SCOPE.base;
  if (peopleInScope) await eachPerson(door, actor, req.filter, out);
  out.finish(done);
}

/** Offers every person the filter may match, in username order, until the output says stop. */
async function eachPerson(door: DoorContext, actor: Actor, filter: Filter, out: Output): Promise<void> {
  const dir = door.core.directory;
  const plan = lookups(filter);
  if (plan !== null || !dir.canSearch(actor)) {
    const found = new Map<string, Person>();
    const add = (p: Person | null) => p && found.set(p.id, p);
    if (plan === null) {
      // A person may read only their own entry: that is the whole directory they can search.
      if (actor.kind === 'user') add(await dir.findPerson(actor, actor.username));
    } else {
      for (const uid of plan.uids) add(await dir.findPerson(actor, uid));
      for (const mail of plan.mails) add(await dir.findPersonByEmail(actor, mail));
    }
    const sorted = [...found.values()].sort((a, b) => (a.username < b.username ? -1 : 1));
    for (const p of sorted) if (!(await out.offer(personEntry(p, door.names)))) return;
    return;
  }
  let after: string | null = null;
  for (;;) {
    if (out.stopped()) return;
    const page = await dir.listPeople(actor, { after, limit: PAGE });
    // Disabled users are left out in the query, so a short page is the last one.
    if (page.length === 0) return;
    for (const p of page) if (!(await out.offer(personEntry(p, door.names)))) return;
    if (page.length < PAGE) return;
    after = page[page.length - 1]!.username;
  }
}

/** Sends matching entries within the size and time limits, pausing while the client reads slowly. */
class Output {
  private sent = 0;
  private readonly limit: number;
  private readonly deadline: number;
  private readonly sel: Selection;
  private code: number = RC.SUCCESS;

  constructor(
    private readonly req: SearchRequest,
    private readonly op: OperationHandle,
  ) {
    this.limit = req.sizeLimit > 0 ? Math.min(req.sizeLimit, MAX_ENTRIES) : MAX_ENTRIES;
    this.deadline = req.timeLimit > 0 ? Date.now() + req.timeLimit * 1000 : Number.POSITIVE_INFINITY;
    this.sel = selection(req.attributes);
  }

  stopped(): boolean {
    if (this.op.abandoned || this.code !== RC.SUCCESS) return true;
    if (Date.now() > this.deadline) this.code = RC.TIME_LIMIT_EXCEEDED;
    return this.code !== RC.SUCCESS;
  }

  /** Sends `entry` if it matches; false once the search must stop. */
  async offer(entry: Entry): Promise<boolean> {
    if (this.stopped()) return false;
    if (!matches(this.req.filter, entry)) return true;
    if (this.sent >= this.limit) {
      this.code = RC.SIZE_LIMIT_EXCEEDED;
      return false;
    }
    const attributes = selectAttributes(entry, this.sel);
    this.op.send(searchEntry(this.req.id, entry.dn, attributes, this.req.typesOnly));
    this.sent++;
    await this.op.writable();
    return true;
  }

  finish(done: (code: number, message?: string) => void): void {
    this.stopped();
    if (this.code === RC.SIZE_LIMIT_EXCEEDED) {
      done(this.code, this.limit === MAX_ENTRIES ? `At most ${MAX_ENTRIES} entries per search.` : '');
    } else {
      done(this.code);
    }
  }
}

/** Compare (RFC 4511 §4.10) with the equality rules of search filters. */
export async function compare(
  door: DoorContext,
  req: { id: number; dn: string; attribute: string; value: string },
  identity: Identity | null,
): Promise<Buffer> {
  const answer = (code: number, message = '', matched = '') =>
    result(req.id, COMPARE, code, message, matched);
  const where = locate(door, req.dn);
  if (where === null) return answer(RC.INVALID_DN_SYNTAX, 'The entry name is not a valid DN.');
  if (where.kind === 'outside' || where.kind === 'root') return answer(RC.NO_SUCH_OBJECT);
  if (identity === null) return answer(RC.INSUFFICIENT_ACCESS_RIGHTS, ANONYMOUS_REFUSED);
  if (where.kind === 'missing') return answer(RC.NO_SUCH_OBJECT, '', where.matched);
  let entry: Entry;
  if (where.kind === 'base') entry = door.baseEntry;
  else if (where.kind === 'people') entry = door.peopleEntry;
  else {
    const p = await door.core.directory.findPerson(identity.actor, where.username);
    if (p === null) return answer(RC.NO_SUCH_OBJECT, '', door.names.people);
    entry = personEntry(p, door.names);
  }
  if (attributeKey(req.attribute) === null) return answer(RC.UNDEFINED_ATTRIBUTE_TYPE);
  const t = equality(entry, req.attribute, req.value);
  if (t === UNDEFINED) return answer(RC.INAPPROPRIATE_MATCHING);
  return answer(t === TRUE ? RC.COMPARE_TRUE : RC.COMPARE_FALSE);
}
