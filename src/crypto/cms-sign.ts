// CMS (PKCS #7) SignedData, DER, with the data inside: how Apple devices expect a signed configuration
// profile. The signer is the server's TLS certificate and key (LATCHKEY_TLS_CERT / LATCHKEY_TLS_KEY), so
// a device shows the profile as verified when that certificate chains to a root it trusts.
//
// PKI.js builds the structures; the signature itself is Node's WebCrypto (OpenSSL), for RSA and ECDSA
// keys alike. Signed attributes (content type, signing time, message digest) are included, as
// `openssl cms -sign` does by default.

import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import type * as Pkijs from 'pkijs';

const OID_DATA = '1.2.840.113549.1.7.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

export interface CmsSigner {
  /** Subject of the signing certificate, for the log and the page. */
  readonly subject: string;
  sign(content: Uint8Array, now?: Date): Promise<Buffer>;
}

function toArrayBuffer(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/** All certificates of a PEM bundle, the leaf first (as TLS servers keep them). */
function pemCertificates(pem: string): Buffer[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => Buffer.from(new X509Certificate(b).raw));
}

/**
 * A signer from PEM text. Throws a plain Error (with no key material in it) when the certificate or
 * key cannot be read, or when they do not belong together.
 */
export async function createCmsSigner(certPem: string, keyPem: string): Promise<CmsSigner> {
  const ders = pemCertificates(certPem);
  if (ders.length === 0) throw new Error('no certificate in the PEM file');
  const leaf = new X509Certificate(ders[0]!);
  const key = createPrivateKey(keyPem);
  if (!leaf.checkPrivateKey(key)) throw new Error('the private key does not belong to the certificate');

  let algorithm: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  if (key.asymmetricKeyType === 'rsa') {
    algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  } else if (key.asymmetricKeyType === 'ec') {
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (!curve) throw new Error(`unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '?'}`);
    algorithm = { name: 'ECDSA', namedCurve: curve };
  } else {
    throw new Error(`unsupported key type ${key.asymmetricKeyType ?? '?'}`);
  }
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const cryptoKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  // Loaded with the first signer, not at start: PKI.js and asn1js cost 15 MB of every node's memory.
  const [pkijs, asn1js] = await Promise.all([import('pkijs'), import('asn1js')]);
  const engine = new pkijs.CryptoEngine({
    name: 'node',
    crypto: webcrypto as unknown as Pkijs.CryptoEngineParameters['crypto'],
  });
  const certificates = ders.map((d) => pkijs.Certificate.fromBER(toArrayBuffer(d)));
  const signerCert = certificates[0]!;

  return {
    subject: leaf.subject.replace(/\n/g, ', '),
    async sign(content: Uint8Array, now = new Date()): Promise<Buffer> {
      const digest = createHash('sha256').update(content).digest();
      const signedData = new pkijs.SignedData({
        version: 1,
        encapContentInfo: new pkijs.EncapsulatedContentInfo({
          eContentType: OID_DATA,
          eContent: new asn1js.OctetString({ valueHex: toArrayBuffer(content) }),
        }),
        signerInfos: [
          new pkijs.SignerInfo({
            version: 1,
            sid: new pkijs.IssuerAndSerialNumber({
              issuer: signerCert.issuer,
              serialNumber: signerCert.serialNumber,
            }),
            signedAttrs: new pkijs.SignedAndUnsignedAttributes({
              type: 0,
              attributes: [
                new pkijs.Attribute({
                  type: OID_CONTENT_TYPE,
                  values: [new asn1js.ObjectIdentifier({ value: OID_DATA })],
                }),
                new pkijs.Attribute({
                  type: OID_SIGNING_TIME,
                  values: [new asn1js.UTCTime({ valueDate: now })],
                }),
                new pkijs.Attribute({
                  type: OID_MESSAGE_DIGEST,
                  values: [new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })],
                }),
              ],
            }),
          }),
        ],
        certificates,
      });
      await signedData.sign(cryptoKey, 0, 'SHA-256', undefined, engine);
      const contentInfo = new pkijs.ContentInfo({
        contentType: OID_SIGNED_DATA,
        content: signedData.toSchema(true),
      });
      return Buffer.from(contentInfo.toSchema().toBER(false));
    },
  };
}
