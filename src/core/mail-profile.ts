// The services people's devices connect to (mail, calendars, contacts), as the organization set them
// (settings.ts), and the Apple configuration profile (spec B8) that carries them to an iPhone, iPad or
// Mac with a new app password inside. Autoconfig and Autodiscover (http/autoconfig.ts) read the same
// description, never with a secret.
//
// The profile is built here and handed out once: its app password is created for it, named after the
// device, with the same rules as any other (limits, two-step state, audit), and is never stored.

import { createHash, randomBytes } from 'node:crypto';
import type { PlistValue } from 'plist';
import { keyedHash } from '../crypto/app-passwords.js';
import type { CmsSigner } from '../crypto/cms-sign.js';
import { newId } from '../crypto/ids.js';
import { advanceFlow, findFlowByHash, insertFlow } from '../store/flows.js';
import { type CreatedAppPassword, createAppPassword, deleteAppPassword } from './app-passwords.js';
import type { CoreContext } from './context.js';
import { LatchkeyError } from './errors.js';
import type { Actor } from './policy.js';
import { mailDomainList, type Settings } from './settings.js';

export interface MailServer {
  host: string;
  port: number;
  /** ssl: TLS from the first byte; starttls: plain, then STARTTLS (required). */
  security: 'ssl' | 'starttls';
}

export interface DeviceServices {
  /** The name devices show for the account. */
  organization: string;
  /** Mail domains the autoconfig and Autodiscover answers serve (empty: none). */
  domains: string[];
  /** What apps sign in with: the whole address, or the username (the address's local part). */
  loginName: 'address' | 'username';
  imap: MailServer | null;
  smtp: MailServer | null;
  calDav: URL | null;
  cardDav: URL | null;
}

export function deviceServices(s: Settings): DeviceServices {
  const domains = mailDomainList(s);
  const server = (host: string, port: number, security: string): MailServer | null =>
    host === '' ? null : { host, port, security: security === 'starttls' ? 'starttls' : 'ssl' };
  return {
    organization: s.organizationName || domains[0] || 'Latchkey',
    domains,
    loginName: s.mailLoginName === 'username' ? 'username' : 'address',
    imap: server(s.imapHost, s.imapPort, s.imapSecurity),
    smtp: server(s.smtpHost, s.smtpPort, s.smtpSecurity),
    calDav: s.calDavUrl === '' ? null : new URL(s.calDavUrl),
    cardDav: s.cardDavUrl === '' ? null : new URL(s.cardDavUrl),
  };
}

/** Whether a profile would hold anything: one of mail (IMAP with SMTP), calendars or contacts. */
export function profileOffered(d: DeviceServices): boolean {
  return (d.imap !== null && d.smtp !== null) || d.calDav !== null || d.cardDav !== null;
}

/** An e-mail address as the autoconfig answers take it: one @, a host name after it, short. */
const ADDRESS = /^[^\s@<>"'&\p{Cc}]{1,64}@([a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?)$/iu;

/** The served domain of an address (lowercase), or null when it is no address or not one of ours. */
export function servedDomainOf(d: DeviceServices, address: string): string | null {
  if (address.length > 254) return null;
  const m = ADDRESS.exec(address);
  if (!m) return null;
  const domain = m[1]!.toLowerCase();
  return d.domains.includes(domain) ? domain : null;
}

// ---- Apple configuration profile

export interface ProfileAccount {
  username: string;
  email: string | null;
  displayName: string | null;
}

export interface AppleProfile {
  /** The app password made for it (without the secret: that is only inside `body`). */
  appPassword: Omit<CreatedAppPassword, 'password'>;
  /** A name for the file, safe in a Content-Disposition header. */
  filename: string;
  /** The profile: a signed CMS message (DER) when a signer was given, else the XML plist. */
  body: Buffer;
  signed: boolean;
}

/**
 * A UUID derived from the app password's id and the payload's role: the same profile always carries
 * the same UUIDs (installing it again replaces, never duplicates), and no two profiles share one.
 */
export function stableUuid(appPasswordId: string, part: string): string {
  const h = createHash('sha256').update(`latchkey profile\0${appPasswordId}\0${part}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // version 8: custom, name-based
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const x = h.subarray(0, 16).toString('hex').toUpperCase();
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** "id.example.org" → "org.example.id": the reverse-DNS prefix of payload identifiers. */
function reverseDns(host: string): string {
  return host.toLowerCase().split('.').reverse().join('.');
}

function portOf(u: URL): number {
  return u.port === '' ? 443 : Number(u.port);
}

export interface ProfileInput {
  services: DeviceServices;
  account: ProfileAccount;
  /** The host of LATCHKEY_PUBLIC_URL, for payload identifiers. */
  publicHost: string;
  device: string;
  appPasswordId: string;
  password: string;
}

/** The profile's property list (XML), with the app password inside. */
export async function appleProfilePlist(p: ProfileInput): Promise<string> {
  const s = p.services;
  const idPrefix = `${reverseDns(p.publicHost)}.latchkey.${p.appPasswordId}`;
  const email =
    p.account.email ?? (s.domains[0] !== undefined ? `${p.account.username}@${s.domains[0]}` : null);
  // The login is the address only when it is one Latchkey knows: an address made up from the first mail
  // domain (for an account without one) is accepted by nothing, so such an account signs in by username.
  const login = s.loginName === 'address' && p.account.email !== null ? p.account.email : p.account.username;
  const who = p.account.displayName?.trim() || p.account.username;
  const common = (kind: string, type: string, name: string, description: string) => ({
    PayloadType: type,
    PayloadVersion: 1,
    PayloadIdentifier: `${idPrefix}.${kind}`,
    PayloadUUID: stableUuid(p.appPasswordId, kind),
    PayloadDisplayName: name,
    PayloadDescription: description,
    PayloadOrganization: s.organization,
  });
  const content: { [key: string]: PlistValue }[] = [];
  if (s.imap !== null && s.smtp !== null) {
    content.push({
      ...common('mail', 'com.apple.mail.managed', `Mail (${s.organization})`, `Mail for ${login}`),
      EmailAccountDescription: s.organization,
      EmailAccountName: who,
      EmailAccountType: 'EmailTypeIMAP',
      ...(email !== null ? { EmailAddress: email } : {}),
      IncomingMailServerAuthentication: 'EmailAuthPassword',
      IncomingMailServerHostName: s.imap.host,
      IncomingMailServerPortNumber: s.imap.port,
      // Apple's "UseSSL" is TLS on the port given: at once on 993/465, by STARTTLS on 143/587.
      IncomingMailServerUseSSL: true,
      IncomingMailServerUsername: login,
      IncomingPassword: p.password,
      OutgoingMailServerAuthentication: 'EmailAuthPassword',
      OutgoingMailServerHostName: s.smtp.host,
      OutgoingMailServerPortNumber: s.smtp.port,
      OutgoingMailServerUseSSL: true,
      OutgoingMailServerUsername: login,
      OutgoingPassword: p.password,
      OutgoingPasswordSameAsIncomingPassword: true,
    });
  }
  if (s.calDav !== null) {
    content.push({
      ...common(
        'caldav',
        'com.apple.caldav.account',
        `Calendars (${s.organization})`,
        `Calendars for ${login}`,
      ),
      CalDAVAccountDescription: `${s.organization} calendars`,
      CalDAVHostName: s.calDav.hostname,
      CalDAVPort: portOf(s.calDav),
      CalDAVUseSSL: true,
      CalDAVPrincipalURL: s.calDav.href,
      CalDAVUsername: login,
      CalDAVPassword: p.password,
    });
  }
  if (s.cardDav !== null) {
    content.push({
      ...common(
        'carddav',
        'com.apple.carddav.account',
        `Contacts (${s.organization})`,
        `Contacts for ${login}`,
      ),
      CardDAVAccountDescription: `${s.organization} contacts`,
      CardDAVHostName: s.cardDav.hostname,
      CardDAVPort: portOf(s.cardDav),
      CardDAVUseSSL: true,
      CardDAVPrincipalURL: s.cardDav.href,
      CardDAVUsername: login,
      CardDAVPassword: p.password,
    });
  }
  const profile: PlistValue = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: idPrefix,
    PayloadUUID: stableUuid(p.appPasswordId, 'profile'),
    PayloadDisplayName: `${s.organization}: ${p.device}`,
    PayloadDescription: `Mail, calendars and contacts of ${login}, with the app password “${p.device}”. Delete that app password to turn the profile's accounts off.`,
    PayloadOrganization: s.organization,
    PayloadRemovalDisallowed: false,
    PayloadContent: content,
  };
  // Loaded on first use: plist costs 5 MB of every node's memory, and few nodes ever make a profile.
  const { build } = await import('plist');
  return build(profile);
}

/** "Alice's iPhone" → "Alices-iPhone.mobileconfig": ASCII only, for any Content-Disposition parser. */
export function profileFilename(device: string): string {
  const base = device
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9 ._-]/g, '')
    .trim()
    .replace(/[\s.]+/g, '-')
    .slice(0, 60);
  return `${base || 'device'}.mobileconfig`;
}

// ---- offered once
//
// The form that asks for a profile carries a one-time token, kept (as a keyed hash, like every browser
// token) among the sign-in flows with a kind of its own. Posting the form spends it in one conditional
// update, on whichever node: a second post of the same form (a reload, a double click, a replay) gets
// no second app password and no second file.

const OFFER_KIND = 'apple_profile';
const OFFER_MINUTES = 15;
const OFFER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const offerHash = (ctx: CoreContext, token: string) => keyedHash(ctx.keys.hmac, `apple_profile\0${token}`);

/** A token for one profile form of this user. */
export async function offerAppleProfile(ctx: CoreContext, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  await insertFlow(ctx.store.db, {
    id: newId(),
    hash: offerHash(ctx, token),
    kind: OFFER_KIND,
    user_id: userId,
    step: 'offered',
    data: null,
    created_at: now,
    expires_at: now + OFFER_MINUTES * 60_000,
  });
  return token;
}

/** Spends the form's token: FLOW_STEP when it was spent already, FLOW_EXPIRED when unknown or old. */
async function spendOffer(ctx: CoreContext, userId: string, token: string): Promise<void> {
  if (!OFFER_TOKEN.test(token)) throw new LatchkeyError('FLOW_EXPIRED');
  const row = await findFlowByHash(ctx.store.db, offerHash(ctx, token));
  if (!row || row.kind !== OFFER_KIND || row.user_id !== userId || row.expires_at <= ctx.now()) {
    throw new LatchkeyError('FLOW_EXPIRED');
  }
  if (row.step !== 'offered' || !(await advanceFlow(ctx.store.db, row.id, 'offered', 'spent', null))) {
    throw new LatchkeyError('FLOW_STEP');
  }
}

/**
 * Spends the form's token, then creates an app password named after the device and the profile that
 * carries it. Refusals are the app password's own (limit, two-step state, allowAppPasswords), or the
 * token's (FLOW_STEP, FLOW_EXPIRED): no app password is created then.
 */
export async function issueAppleProfile(
  ctx: CoreContext,
  actor: Actor,
  account: ProfileAccount & { userId: string },
  device: string,
  offerToken: string,
  signer: CmsSigner | null,
): Promise<AppleProfile> {
  const services = deviceServices(await ctx.settings.get());
  if (!profileOffered(services)) {
    throw new LatchkeyError('SETTING_INVALID', { detail: 'mailServerUnset' });
  }
  await spendOffer(ctx, account.userId, offerToken);
  const created = await createAppPassword(ctx, actor, account.username, { label: device });
  const { password, ...appPassword } = created;
  const xml = await appleProfilePlist({
    services,
    account,
    publicHost: new URL(ctx.publicUrl).hostname,
    device: created.label,
    appPasswordId: created.id,
    password,
  });
  const data = Buffer.from(xml, 'utf8');
  let body: Buffer = data;
  if (signer) {
    try {
      body = await signer.sign(data, new Date(ctx.now()));
    } catch (e) {
      // No file leaves, so no password may stay behind without one.
      await deleteAppPassword(ctx, actor, account.username, created.id);
      throw e;
    }
  }
  return {
    appPassword,
    filename: profileFilename(created.label),
    body,
    signed: signer !== null,
  };
}
