/**
 * Just enough PEM and DER to hand RSA keys to WebCrypto, which imports only
 * PKCS#8 (private) and SPKI (public): PKCS#1 keys are wrapped, the public key
 * of an X.509 certificate or of a private key is taken out. Nothing here
 * checks a certificate's signature, dates or issuer: a certificate is only a
 * container for the client's public key, as RFC 5849 §3.4.3 uses it.
 * @module
 * @internal
 */
import { fromBase64 } from './bytes.js';

/** Why a key could not be read; the caller turns it into a TypeError naming the option. */
export class KeyFormatError extends Error {
  override readonly name = 'KeyFormatError';
}

// ASN.1 universal tags (X.690 §8).
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const NULL = 0x05;
const OBJECT_IDENTIFIER = 0x06;
const SEQUENCE = 0x30;
const CONTEXT_0 = 0xa0;

/** rsaEncryption (RFC 8017 Appendix C), DER-encoded value of the OID. */
const RSA_ENCRYPTION = Uint8Array.of(0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01);

// Other key types a PEM file may hold, by the OID's DER value (hex), named as Node names them.
const OTHER_KEY_TYPES: Record<string, string> = {
  '2a864886f70d01010a': 'rsa-pss',
  '2a8648ce3d0201': 'ec',
  '2a8648ce380401': 'dsa',
  '2b656e': 'x25519',
  '2b656f': 'x448',
  '2b6570': 'ed25519',
  '2b6571': 'ed448',
};

/** One DER element: its tag and where its contents lie in the buffer. */
interface Element {
  tag: number;
  /** First byte of the element (its tag). */
  start: number;
  /** First byte of the contents. */
  contents: number;
  /** One past the last byte of the contents (and of the element). */
  end: number;
}

/** Reads the element at `offset`, which must end by `limit`. Only the definite-length form (DER). */
function read(der: Uint8Array, offset: number, limit: number): Element {
  if (offset + 2 > limit) throw new KeyFormatError('truncated DER');
  const tag = der[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) throw new KeyFormatError('multi-byte DER tags are not used in keys');
  let length = der[offset + 1] ?? 0;
  let contents = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    // 0x80 is BER's indefinite length; four length bytes already allow 4 GiB.
    if (count === 0 || count > 4 || contents + count > limit) throw new KeyFormatError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contents + i] ?? 0);
    contents += count;
  }
  const end = contents + length;
  if (end > limit) throw new KeyFormatError('truncated DER');
  return { tag, start: offset, contents, end };
}

/** The elements inside a constructed element. */
function children(der: Uint8Array, parent: Element): Element[] {
  const out: Element[] = [];
  for (let at = parent.contents; at < parent.end; ) {
    const child = read(der, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

function expect(el: Element | undefined, tag: number, what: string): Element {
  if (el === undefined || el.tag !== tag) throw new KeyFormatError(`expected ${what}`);
  return el;
}

/** The whole of `der` must be one element with this tag. */
function top(der: Uint8Array, tag: number, what: string): Element {
  const el = read(der, 0, der.length);
  if (el.end !== der.length) throw new KeyFormatError('trailing bytes after DER');
  return expect(el, tag, what);
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Checks that an AlgorithmIdentifier names rsaEncryption; otherwise says which key type it is. */
function checkRsaAlgorithm(der: Uint8Array, algorithm: Element): void {
  const oid = expect(children(der, algorithm)[0], OBJECT_IDENTIFIER, 'an OID');
  const value = der.subarray(oid.contents, oid.end);
  if (sameBytes(value, RSA_ENCRYPTION)) return;
  throw new NotRsaError(OTHER_KEY_TYPES[hex(value)] ?? 'an unknown key type');
}

/** A well-formed key of another type (EC, Ed25519…): the caller says "must be an RSA key". */
export class NotRsaError extends KeyFormatError {
  constructor(readonly keyType: string) {
    super(`not an RSA key (${keyType})`);
  }
}

function positiveInteger(der: Uint8Array, el: Element | undefined, what: string): Element {
  const int = expect(el, INTEGER, what);
  if (int.end === int.contents || ((der[int.contents] ?? 0) & 0x80) !== 0) throw new KeyFormatError(`${what} must be positive`);
  return int;
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1). */
function checkRsaPublicKey(der: Uint8Array): void {
  const items = children(der, top(der, SEQUENCE, 'an RSAPublicKey'));
  if (items.length !== 2) throw new KeyFormatError('an RSAPublicKey has two integers');
  positiveInteger(der, items[0], 'the modulus');
  positiveInteger(der, items[1], 'the public exponent');
}

/**
 * RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, privateExponent,
 * prime1, prime2, exponent1, exponent2, coefficient, otherPrimeInfos OPTIONAL }
 * (RFC 8017 A.1.2). Returns the RSAPublicKey made of its modulus and exponent.
 */
function publicOfRsaPrivateKey(der: Uint8Array): Uint8Array {
  const items = children(der, top(der, SEQUENCE, 'an RSAPrivateKey'));
  if (items.length < 9) throw new KeyFormatError('an RSAPrivateKey has nine integers');
  for (let i = 0; i < 9; i++) expect(items[i], INTEGER, 'an integer');
  const n = positiveInteger(der, items[1], 'the modulus');
  const e = positiveInteger(der, items[2], 'the public exponent');
  return element(SEQUENCE, der.subarray(n.start, n.end), der.subarray(e.start, e.end));
}

/** DER length octets (X.690 §8.1.3). */
function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

/** One DER element with these contents. */
function element(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0);
  const head = [tag, ...lengthOctets(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** AlgorithmIdentifier { rsaEncryption, NULL }. */
const RSA_ALGORITHM = element(SEQUENCE, element(OBJECT_IDENTIFIER, RSA_ENCRYPTION), element(NULL));

/** SubjectPublicKeyInfo (RFC 5280 §4.1) around an RSAPublicKey. */
function spkiOf(rsaPublicKey: Uint8Array): Uint8Array {
  return element(SEQUENCE, RSA_ALGORITHM, element(BIT_STRING, Uint8Array.of(0), rsaPublicKey));
}

/** PrivateKeyInfo (RFC 5208 §5) around an RSAPrivateKey. */
function pkcs8Of(rsaPrivateKey: Uint8Array): Uint8Array {
  return element(SEQUENCE, element(INTEGER, Uint8Array.of(0)), RSA_ALGORITHM, element(OCTET_STRING, rsaPrivateKey));
}

/** The RSAPrivateKey inside a PrivateKeyInfo, after checking the algorithm is RSA. */
function rsaPrivateKeyOfPkcs8(der: Uint8Array): Uint8Array {
  const items = children(der, top(der, SEQUENCE, 'a PrivateKeyInfo'));
  expect(items[0], INTEGER, 'a version');
  checkRsaAlgorithm(der, expect(items[1], SEQUENCE, 'an AlgorithmIdentifier'));
  const key = expect(items[2], OCTET_STRING, 'the private key');
  return der.subarray(key.contents, key.end);
}

/** The RSAPublicKey inside a SubjectPublicKeyInfo, after checking the algorithm is RSA. */
function rsaPublicKeyOfSpki(der: Uint8Array): Uint8Array {
  const items = children(der, top(der, SEQUENCE, 'a SubjectPublicKeyInfo'));
  if (items.length !== 2) throw new KeyFormatError('a SubjectPublicKeyInfo has two parts');
  checkRsaAlgorithm(der, expect(items[0], SEQUENCE, 'an AlgorithmIdentifier'));
  const bits = expect(items[1], BIT_STRING, 'the public key bits');
  if (bits.end === bits.contents || der[bits.contents] !== 0) throw new KeyFormatError('the public key bits must be whole bytes');
  return der.subarray(bits.contents + 1, bits.end);
}

/**
 * The SubjectPublicKeyInfo of a certificate: Certificate ::= SEQUENCE {
 * tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
 * issuer, validity, subject, subjectPublicKeyInfo, … }, … } (RFC 5280 §4.1).
 */
function spkiOfCertificate(der: Uint8Array): Uint8Array {
  const cert = children(der, top(der, SEQUENCE, 'a Certificate'));
  const tbs = children(der, expect(cert[0], SEQUENCE, 'a TBSCertificate'));
  const fields = tbs[0]?.tag === CONTEXT_0 ? tbs.slice(1) : tbs;
  expect(fields[0], INTEGER, 'a serial number');
  const spki = expect(fields[5], SEQUENCE, 'a SubjectPublicKeyInfo');
  return der.subarray(spki.start, spki.end);
}

/** One PEM block (RFC 7468): its label and the DER it carries. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (an encrypted traditional key). */
  encrypted: boolean;
}

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in the text, in order. A block whose body is not base64 is an error. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const match of text.matchAll(PEM)) {
    const [, label = '', matched = ''] = match;
    let body = matched;
    let encrypted = false;
    if (body.includes(':')) {
      // Traditional (OpenSSL) headers end at the first blank line.
      const blank = body.search(/\r?\n\s*\r?\n/);
      encrypted = /Proc-Type:\s*4\s*,\s*ENCRYPTED/i.test(body);
      body = blank === -1 ? '' : body.slice(blank);
    }
    const der = fromBase64(body);
    if (der === undefined || der.length === 0) throw new KeyFormatError(`the ${label} block is not base64`);
    out.push({ label, der, encrypted });
  }
  return out;
}

/** What WebCrypto needs to import an RSA private key, and its public half. */
export interface RsaPrivateKeyDer {
  pkcs8: Uint8Array;
  spki: Uint8Array;
}

const PRIVATE_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'CERTIFICATE']);
const NAMED_TYPES: Record<string, string> = { 'EC PRIVATE KEY': 'ec', 'DSA PRIVATE KEY': 'dsa', 'EC PARAMETERS': 'ec' };

function otherBlock(blocks: PemBlock[]): never {
  for (const b of blocks) {
    if (b.encrypted || b.label === 'ENCRYPTED PRIVATE KEY') throw new KeyFormatError('the key is encrypted; decrypt it first');
    const type = NAMED_TYPES[b.label];
    if (type !== undefined) throw new NotRsaError(type);
  }
  throw new KeyFormatError('no usable PEM block');
}

function privateBlock(block: PemBlock): RsaPrivateKeyDer {
  if (block.label === 'PRIVATE KEY') {
    const rsa = rsaPrivateKeyOfPkcs8(block.der);
    return { pkcs8: block.der, spki: spkiOf(publicOfRsaPrivateKey(rsa)) };
  }
  return { pkcs8: pkcs8Of(block.der), spki: spkiOf(publicOfRsaPrivateKey(block.der)) };
}

/**
 * An RSA private key from PEM: PKCS#8 (`PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE
 * KEY`), the first such block in the text.
 * @throws KeyFormatError (NotRsaError for a key of another type)
 */
export function rsaPrivateKeyFromPem(text: string): RsaPrivateKeyDer {
  const blocks = pemBlocks(text);
  const block = blocks.find((b) => PRIVATE_LABELS.has(b.label) && !b.encrypted);
  if (block === undefined) otherBlock(blocks);
  return privateBlock(block);
}

/**
 * An RSA public key as SPKI DER from PEM: SPKI (`PUBLIC KEY`), PKCS#1 (`RSA
 * PUBLIC KEY`), an X.509 certificate, or a private key (its public half),
 * the first such block in the text.
 * @throws KeyFormatError (NotRsaError for a key of another type)
 */
export function rsaPublicKeyFromPem(text: string): Uint8Array {
  const blocks = pemBlocks(text);
  const block = blocks.find((b) => (PUBLIC_LABELS.has(b.label) || PRIVATE_LABELS.has(b.label)) && !b.encrypted);
  if (block === undefined) otherBlock(blocks);
  switch (block.label) {
    case 'PUBLIC KEY':
      checkRsaPublicKey(rsaPublicKeyOfSpki(block.der));
      return block.der;
    case 'RSA PUBLIC KEY':
      checkRsaPublicKey(block.der);
      return spkiOf(block.der);
    case 'CERTIFICATE': {
      const spki = spkiOfCertificate(block.der);
      checkRsaPublicKey(rsaPublicKeyOfSpki(spki));
      return spki;
    }
    default:
      return privateBlock(block).spki;
  }
}
