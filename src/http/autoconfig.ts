// Mail client autoconfiguration (spec B8): a mail app given only an address and an app password finds
// the servers. Thunderbird (and Evolution, KMail, K-9/Thunderbird for Android) fetch config-v1.1.xml
// from autoconfig.<domain> or <domain>/.well-known/autoconfig; Outlook POSTs an Autodiscover request
// ("plain old XML") to autodiscover.<domain>. Both answers come from the organization's settings
// (core/mail-profile.ts) and hold host names, ports and the login name's form: never a secret, and
// nothing about whether an account exists. A domain that is not served, or no server set, is a 404.
//
// The Autodiscover request is parsed by saxes, a strict XML parser: a document type declaration (the
// only way to define entities, and so entity expansion attacks) is refused, as is anything that is not
// well-formed; the body is capped at 16 KiB.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SaxesParser } from 'saxes';
import type { Core } from '../core/index.js';
import {
  type DeviceServices,
  deviceServices,
  type MailServer,
  servedDomainOf,
} from '../core/mail-profile.js';

export const AUTOCONFIG_PATHS = ['/.well-known/autoconfig/mail/config-v1.1.xml', '/mail/config-v1.1.xml'];
export const AUTODISCOVER_PATHS = ['/autodiscover/autodiscover.xml', '/Autodiscover/Autodiscover.xml'];
export const AUTODISCOVER_MAX_BYTES = 16 * 1024;

const NS_RESPONSE = 'http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006';
const NS_OUTLOOK = 'http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a';

// ---- a few lines of XML output: text and attribute values escaped, nothing else is ever inserted

type Node = string | number | { tag: string; attrs?: Record<string, string>; children: Node[] };

function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}

function el(tag: string, ...children: Node[]): Node {
  return { tag, children };
}

function render(n: Node, indent = ''): string {
  if (typeof n !== 'object') return esc(String(n));
  const attrs = Object.entries(n.attrs ?? {})
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  if (n.children.every((c) => typeof c !== 'object')) {
    return `${indent}<${n.tag}${attrs}>${n.children.map((c) => render(c)).join('')}</${n.tag}>`;
  }
  const inner = n.children.map((c) => render(c, `${indent}  `)).join('\n');
  return `${indent}<${n.tag}${attrs}>\n${inner}\n${indent}</${n.tag}>`;
}

function xmlDocument(root: Node): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root)}\n`;
}

// ---- Thunderbird autoconfig (config-v1.1.xml)

export function autoconfigXml(d: DeviceServices, domain: string): string {
  const username = d.loginName === 'address' ? '%EMAILADDRESS%' : '%EMAILLOCALPART%';
  const server = (kind: 'incomingServer' | 'outgoingServer', type: string, s: MailServer): Node => ({
    tag: kind,
    attrs: { type },
    children: [
      el('hostname', s.host),
      el('port', s.port),
      el('socketType', s.security === 'ssl' ? 'SSL' : 'STARTTLS'),
      // The password goes inside TLS, as AUTH PLAIN/LOGIN: app passwords are checked as keyed hashes,
      // which challenge-response mechanisms cannot use.
      el('authentication', 'password-cleartext'),
      el('username', username),
    ],
  });
  const provider: Node = {
    tag: 'emailProvider',
    attrs: { id: domain },
    children: [
      ...d.domains.map((x) => el('domain', x)),
      el('displayName', d.organization),
      el('displayShortName', d.organization.slice(0, 40)),
      ...(d.imap ? [server('incomingServer', 'imap', d.imap)] : []),
      ...(d.smtp ? [server('outgoingServer', 'smtp', d.smtp)] : []),
    ],
  };
  return xmlDocument({ tag: 'clientConfig', attrs: { version: '1.1' }, children: [provider] });
}

// ---- Outlook Autodiscover (POX)

export function autodiscoverXml(d: DeviceServices, address: string): string {
  const login = d.loginName === 'address' ? address : address.slice(0, address.lastIndexOf('@'));
  const protocol = (type: 'IMAP' | 'SMTP', s: MailServer): Node =>
    el(
      'Protocol',
      el('Type', type),
      el('Server', s.host),
      el('Port', s.port),
      el('DomainRequired', 'off'),
      el('LoginName', login),
      el('SPA', 'off'),
      el('SSL', 'on'),
      // Outlook reads Encryption before SSL: SSL = TLS at once, TLS = STARTTLS.
      el('Encryption', s.security === 'ssl' ? 'SSL' : 'TLS'),
      el('AuthRequired', 'on'),
      ...(type === 'SMTP' ? [el('UsePOPAuth', 'off'), el('SMTPLast', 'off')] : []),
    );
  return xmlDocument({
    tag: 'Autodiscover',
    attrs: { xmlns: NS_RESPONSE },
    children: [
      {
        tag: 'Response',
        attrs: { xmlns: NS_OUTLOOK },
        children: [
          el(
            'Account',
            el('AccountType', 'email'),
            el('Action', 'settings'),
            ...(d.imap ? [protocol('IMAP', d.imap)] : []),
            ...(d.smtp ? [protocol('SMTP', d.smtp)] : []),
          ),
        ],
      },
    ],
  });
}

export class AutodiscoverRequestError extends Error {}

/**
 * The request's EMailAddress and AcceptableResponseSchema, from a strictly parsed document:
 * <Autodiscover><Request><EMailAddress>…</EMailAddress>…</Request></Autodiscover>.
 */
export function parseAutodiscoverRequest(xml: string): { address: string; schema: string | null } {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const path: string[] = [];
  let address: string | null = null;
  let schema: string | null = null;
  let text = '';
  let elements = 0;
  parser.on('doctype', () => {
    throw new AutodiscoverRequestError('a document type declaration is not accepted');
  });
  parser.on('opentag', (t) => {
    if (++elements > 64 || path.length >= 8) throw new AutodiscoverRequestError('too deep or too long');
    if (path.length === 0 && t.local !== 'Autodiscover') {
      throw new AutodiscoverRequestError('the root element is not Autodiscover');
    }
    path.push(t.local);
    text = '';
  });
  parser.on('text', (t) => {
    text += t;
    if (text.length > 1024) throw new AutodiscoverRequestError('text too long');
  });
  parser.on('closetag', () => {
    const where = path.join('/');
    if (where === 'Autodiscover/Request/EMailAddress') address = text.trim();
    if (where === 'Autodiscover/Request/AcceptableResponseSchema') schema = text.trim();
    path.pop();
    text = '';
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    if (e instanceof AutodiscoverRequestError) throw e;
    // saxes' message names the line and the fault, never more than the client sent.
    throw new AutodiscoverRequestError(`not well-formed XML: ${(e as Error).message.slice(0, 120)}`);
  }
  if (address === null) throw new AutodiscoverRequestError('no Request/EMailAddress');
  return { address, schema };
}

// ---- routes

export function registerAutoconfig(app: FastifyInstance, core: Core): void {
  const problem = (req: FastifyRequest, reply: FastifyReply, status: number, code: string, title: string) =>
    reply
      .code(status)
      .type('application/problem+json')
      .send({ type: 'about:blank', title, status, code, requestId: req.id });
  const notOffered = (req: FastifyRequest, reply: FastifyReply) =>
    problem(req, reply, 404, 'NOT_FOUND', 'Not found');

  const autoconfig = async (req: FastifyRequest, reply: FastifyReply) => {
    const d = deviceServices(await core.settings.current());
    // Incoming mail is what an account is for: with only an SMTP server there is nothing to set up.
    if (d.domains.length === 0 || d.imap === null) return notOffered(req, reply);
    const q = (req.query ?? {}) as Record<string, unknown>;
    const given = typeof q.emailaddress === 'string' ? q.emailaddress : null;
    let domain: string | null;
    if (given !== null) {
      domain = servedDomainOf(d, given.trim());
    } else {
      // Without an address, the host asked: autoconfig.example.org or example.org itself.
      const host = (req.hostname ?? '')
        .toLowerCase()
        .replace(/:\d+$/, '')
        .replace(/^autoconfig\./, '');
      domain = d.domains.includes(host) ? host : null;
    }
    if (domain === null) return notOffered(req, reply);
    return reply
      .header('cache-control', 'public, max-age=300')
      .type('application/xml; charset=utf-8')
      .send(autoconfigXml(d, domain));
  };
  for (const path of AUTOCONFIG_PATHS) app.get(path, { schema: { hide: true } }, autoconfig);

  app.register(async (scope) => {
    // Outlook sends text/xml; some clients nothing useful. Whatever it is labelled, it is read as text
    // and must be well-formed XML.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'string', bodyLimit: AUTODISCOVER_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    const autodiscover = async (req: FastifyRequest, reply: FastifyReply) => {
      let request: { address: string; schema: string | null };
      try {
        request = parseAutodiscoverRequest(typeof req.body === 'string' ? req.body : '');
      } catch (e) {
        if (!(e instanceof AutodiscoverRequestError)) throw e;
        req.log.info({ reason: e.message }, 'autodiscover request refused');
        return problem(req, reply, 400, 'REQUEST_INVALID', `Autodiscover request refused: ${e.message}.`);
      }
      const d = deviceServices(await core.settings.current());
      // Only Outlook's schema is answered: mobile (ActiveSync) clients ask for another we do not serve.
      if (request.schema !== null && request.schema !== NS_OUTLOOK) return notOffered(req, reply);
      if (d.imap === null) return notOffered(req, reply);
      if (servedDomainOf(d, request.address) === null) return notOffered(req, reply);
      return reply
        .header('cache-control', 'no-store')
        .type('text/xml; charset=utf-8')
        .send(autodiscoverXml(d, request.address));
    };
    for (const path of AUTODISCOVER_PATHS) scope.post(path, { schema: { hide: true } }, autodiscover);
  });
}
