#!/usr/bin/python3
"""Generate the OAuth 1.0 signing test vectors in ../*.json.

Run with Debian's interpreter, which has python3-oauthlib 3.2.2:

    /usr/bin/python3 vectors/generate/generate.py          # write the files
    /usr/bin/python3 vectors/generate/generate.py --check  # compare, write nothing

How an expected value comes about (see README.md beside this file):

* Inputs and expected base strings are written by hand in the CASES below,
  from the RFC rule or copied from the cited public source.  A hand-written
  base string is given either whole (``base_string=``) or as the base string
  URI plus the normalized parameter string (``base_uri=`` / ``params=``), in
  which ``{OAUTH}`` stands for the sorted protocol parameters of that input
  and ``{BODY_HASH}`` for the encoded oauth_body_hash value.
* The generator re-derives every base string with a small reference model of
  RFC 5849 (``model_base_string``) and stops if the model and the hand-written
  value differ: a typo in either shows up at once.
* Signatures are computed over the expected base string with Python's hmac,
  hashlib and base64, and with ``openssl dgst -sign`` for RSA.  A signature
  printed by a public source is kept verbatim; if it differs from the
  computed one the generator stops, so nobody "fixes" a source value.
* Every case is then run through python3-oauthlib (its signature functions
  and, where it can express the request, oauthlib.oauth1.Client).  Only a
  case on which every oauthlib path agrees lists "python3-oauthlib" in
  ``confirmed_by``; any disagreement is written into the case's notes.
* The other independent implementations that confirm a case (liboauth, PECL
  oauth, Net::OAuth, ruby-oauth) come from peer-results.json, the committed
  record written by record_peers.mjs; a case confirmed by fewer than three
  says why in ``confirmation_note`` (see "Confirmation by independent
  implementations" below).

Nothing here uses the TypeScript code of this repository.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import tempfile
import types
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
VECTORS = os.path.dirname(HERE)
KEYS = os.path.join(VECTORS, "keys")

ORACLE = "python3-oauthlib"


def read_key(name):
    with open(os.path.join(KEYS, name), encoding="ascii") as fh:
        return fh.read()


# The RSA test key published on the OAuth wiki "TestCases" page (RSA-SHA1
# section), in two encodings of the same key.
RSA_PKCS8 = read_key("rsa-1024-private-pkcs8.pem")
RSA_PKCS1 = read_key("rsa-1024-private-pkcs1.pem")


# --------------------------------------------------------------------------
# RFC 5849 §3.6 percent-encoding, and a strict decoder for
# application/x-www-form-urlencoded text.

UNRESERVED = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def pe(text):
    """Percent-encode per RFC 5849 §3.6 (UTF-8, unreserved kept, upper hex)."""
    out = []
    for byte in text.encode("utf-8"):
        out.append(chr(byte) if byte in UNRESERVED else "%%%02X" % byte)
    return "".join(out)


class Malformed(ValueError):
    """The input cannot be decoded: the request must be refused."""


HEX = "0123456789abcdefABCDEF"


def form_decode(text):
    """Decode one form-urlencoded name or value strictly ('+' is a space)."""
    raw = bytearray()
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "%":
            pair = text[i + 1:i + 3]
            if len(pair) != 2 or pair[0] not in HEX or pair[1] not in HEX:
                raise Malformed("malformed percent-escape")
            raw.append(int(pair, 16))
            i += 3
            continue
        if ch == "+":
            raw.append(0x20)
        else:
            raw.extend(ch.encode("utf-8"))
        i += 1
    try:
        return raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise Malformed("invalid UTF-8 after percent-decoding") from exc


def form_parse(text):
    """Split a form-urlencoded string into decoded pairs, order kept."""
    pairs = []
    for segment in text.split("&"):
        if segment == "":
            continue
        name, _, value = segment.partition("=")
        pairs.append((form_decode(name), form_decode(value)))
    return pairs


def is_form_type(content_type):
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/x-www-form-urlencoded"


# --------------------------------------------------------------------------
# The request described by a vector input.

FORM_TYPE = "application/x-www-form-urlencoded"

DEFAULTS = {
    "method": "GET",
    "query": [],
    "form": [],
    "consumer_key": "vector-client",
    "consumer_secret": "client-secret",
    "token": "vector-token",
    "token_secret": "token-secret",
    "signature_method": "HMAC-SHA1",
    "rsa_private_key_pem": None,
    "nonce": "n0nce",
    "timestamp": "1700000000",
    "realm": None,
    "extra_oauth": [],
    "include_version": True,
}

INPUT_ORDER = [
    "method", "url", "query", "form", "consumer_key", "consumer_secret",
    "token", "token_secret", "signature_method", "rsa_private_key_pem",
    "nonce", "timestamp", "realm", "extra_oauth", "include_version",
    "body", "content_type", "body_hash",
]


def body_kind(inp):
    """'form' when the entity-body takes part in the signature, 'raw' for a
    body that does not, None when the request has no body."""
    if inp["form"]:
        assert "body" not in inp, "form pairs and a raw body are exclusive"
        assert is_form_type(inp.get("content_type", FORM_TYPE))
        return "form"
    if "body" in inp:
        if is_form_type(inp.get("content_type", "")):
            return "form"
        return "raw"
    return None


def body_hash_algorithm(method):
    if method.endswith("-SHA256"):
        return "sha256"
    if method.endswith("-SHA512"):
        return "sha512"
    return "sha1"  # *-SHA1 and PLAINTEXT


def body_hash_value(inp):
    digest = hashlib.new(body_hash_algorithm(inp["signature_method"]))
    digest.update(inp.get("body", "").encode("utf-8"))
    return base64.b64encode(digest.digest()).decode("ascii")


def protocol_params(inp):
    """The protocol parameters, in the order the conformance protocol names
    them (oauth_signature not included)."""
    params = [("oauth_consumer_key", inp["consumer_key"])]
    if inp["token"] is not None:
        params.append(("oauth_token", inp["token"]))
    params += [
        ("oauth_signature_method", inp["signature_method"]),
        ("oauth_timestamp", inp["timestamp"]),
        ("oauth_nonce", inp["nonce"]),
    ]
    if inp["include_version"]:
        params.append(("oauth_version", "1.0"))
    params += [tuple(pair) for pair in inp["extra_oauth"]]
    if inp.get("body_hash") and body_kind(inp) != "form":
        params.append(("oauth_body_hash", body_hash_value(inp)))
    return params


def normalize(pairs):
    encoded = sorted((pe(n).encode("ascii"), pe(v).encode("ascii"))
                     for n, v in pairs)
    return "&".join(n.decode() + "=" + v.decode() for n, v in encoded)


def compose(method, base_uri, normalized):
    return pe(method.upper()) + "&" + pe(base_uri) + "&" + pe(normalized)


def model_base_string(inp):
    """Reference model of RFC 5849 §3.4.1, used only to cross-check the
    hand-written expected values.  Raises Malformed for undecodable input."""
    parts = urllib.parse.urlsplit(inp["url"])
    scheme = parts.scheme.lower()
    host = parts.hostname  # lower-cased, without userinfo or brackets
    if ":" in host:
        host = "[" + host + "]"
    port = parts.port
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        authority = host
    else:
        authority = "%s:%d" % (host, port)
    base_uri = "%s://%s%s" % (scheme, authority, parts.path or "/")
    pairs = form_parse(parts.query) + [tuple(p) for p in inp["query"]]
    if body_kind(inp) == "form":
        if inp["form"]:
            pairs += [tuple(p) for p in inp["form"]]
        else:
            pairs += form_parse(inp["body"])
    pairs += protocol_params(inp)
    pairs = [p for p in pairs if p[0] != "oauth_signature"]
    return compose(inp["method"], base_uri, normalize(pairs))


# --------------------------------------------------------------------------
# Signatures, computed over the expected base string.

def openssl_sign(digest, base_string, pem):
    with tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False) as fh:
        fh.write(pem)
        path = fh.name
    try:
        out = subprocess.run(
            ["openssl", "dgst", "-" + digest, "-sign", path],
            input=base_string.encode("ascii"), capture_output=True, check=True)
    finally:
        os.unlink(path)
    return base64.b64encode(out.stdout).decode("ascii")


def compute_signature(inp, base_string):
    method = inp["signature_method"]
    key = pe(inp["consumer_secret"] or "") + "&" + pe(inp["token_secret"] or "")
    if method == "PLAINTEXT":
        return key
    digest = {"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512"}[
        method.split("-", 1)[1]]
    if method.startswith("HMAC-"):
        mac = hmac.new(key.encode("utf-8"), base_string.encode("ascii"),
                       getattr(hashlib, digest))
        return base64.b64encode(mac.digest()).decode("ascii")
    if method.startswith("RSA-"):
        return openssl_sign(digest, base_string, inp["rsa_private_key_pem"])
    raise ValueError("unknown signature method " + method)


def authorization_header(inp, params, signature):
    items = []
    if inp["realm"] is not None:
        assert '"' not in inp["realm"] and "\\" not in inp["realm"]
        items.append('realm="%s"' % inp["realm"])
    for name, value in list(params) + [("oauth_signature", signature)]:
        items.append('%s="%s"' % (pe(name), pe(value)))
    return "OAuth " + ", ".join(items)


def parse_authorization(value):
    """(realm, sorted params) of an OAuth Authorization header value."""
    assert value[:6].lower() == "oauth "
    realm, params = None, []
    for item in re.findall(r'([^\s=,]+)\s*=\s*"([^"]*)"', value[6:]):
        name, raw = item
        if name == "realm":
            realm = raw
        else:
            params.append((urllib.parse.unquote(name),
                           urllib.parse.unquote(raw)))
    return realm, sorted(params)


# --------------------------------------------------------------------------
# Cross-check with python3-oauthlib.

def request_uri(inp):
    """The URL with the vector's added query pairs, as a client would send."""
    url, hash_mark, fragment = inp["url"].partition("#")
    if inp["query"]:
        added = "&".join(pe(n) + "=" + pe(v) for n, v in inp["query"])
        if "?" not in url:
            url += "?" + added
        elif url.endswith("?") or url.endswith("&"):
            url += added
        else:
            url += "&" + added
    return url + hash_mark + fragment


def form_body_text(inp):
    if inp["form"]:
        return "&".join(pe(n) + "=" + pe(v) for n, v in inp["form"])
    return inp["body"]


class Oracle:
    """Runs one vector input through python3-oauthlib in the ways it can
    express it.  Each path yields ("ok", base_string_or_None, signature,
    authorization_or_None) or ("refused", message) or None (not applicable)."""

    def __init__(self):
        import oauthlib
        from oauthlib.oauth1 import Client
        from oauthlib.oauth1.rfc5849 import parameters, signature
        self.version = oauthlib.__version__
        self.Client = Client
        self.P = parameters
        self.S = signature

    def secrets(self, inp):
        return types.SimpleNamespace(
            client_secret=inp["consumer_secret"],
            resource_owner_secret=inp["token_secret"],
            rsa_key=inp["rsa_private_key_pem"])

    def sign_function(self, inp, base_string):
        S, method = self.S, inp["signature_method"]
        client = self.secrets(inp)
        if method == "PLAINTEXT":
            return S.sign_plaintext(client.client_secret,
                                    client.resource_owner_secret)
        table = {
            "HMAC-SHA1": S.sign_hmac_sha1_with_client,
            "HMAC-SHA256": S.sign_hmac_sha256_with_client,
            "HMAC-SHA512": S.sign_hmac_sha512_with_client,
            "RSA-SHA1": S.sign_rsa_sha1_with_client,
            "RSA-SHA256": S.sign_rsa_sha256_with_client,
            "RSA-SHA512": S.sign_rsa_sha512_with_client,
        }
        return table[method](base_string, client)

    def functions_path(self, inp):
        """collect_parameters / normalize_parameters / base_string_uri /
        signature_base_string and the sign_* functions."""
        S, P = self.S, self.P
        try:
            uri = request_uri(inp)
            params = protocol_params(inp)
            headers = P.prepare_headers(params, {}, realm=inp["realm"])
            # Any body is handed over as it is: collect_parameters has no
            # content-type rule of its own and decides by parsing it.
            kind = body_kind(inp)
            body = form_body_text(inp) if kind == "form" else inp.get("body")
            collected = S.collect_parameters(
                uri_query=urllib.parse.urlparse(uri).query, body=body,
                headers=headers)
            normalized = S.normalize_parameters(collected)
            base_uri = S.base_string_uri(uri)
            base_string = S.signature_base_string(inp["method"], base_uri,
                                                  normalized)
            sig = self.sign_function(inp, base_string)
        except Exception as exc:  # oauthlib refuses with ValueError & co.
            return ("refused", "%s: %s" % (type(exc).__name__, exc))
        return ("ok", base_string, sig, None)

    def client_path(self, inp):
        """oauthlib.oauth1.Client.sign with the Authorization header."""
        if not inp["include_version"]:
            return None  # Client always sends oauth_version
        extra = dict(inp["extra_oauth"])
        if (len(extra) != len(inp["extra_oauth"])
                or set(extra) - {"oauth_callback", "oauth_verifier"}):
            return None
        if inp["token"] == "":
            return None
        kind = body_kind(inp)
        headers, body = {}, None
        if kind is not None:
            headers["Content-Type"] = inp.get("content_type", FORM_TYPE)
            # The form body goes in as encoded text, as it travels: given a
            # list of pairs, oauthlib.common.Request turns it into a dict and
            # loses repeated names.
            body = form_body_text(inp) if kind == "form" else inp["body"]
        ours_hash = bool(inp.get("body_hash")) and kind != "form"
        if ours_hash and body is None:
            return None  # Client hashes only a body it is given
        captured = {}

        def capture(fn):
            def wrapper(base_string, client):
                captured["base_string"] = base_string
                return fn(base_string, client)
            return wrapper

        client = self.Client(
            inp["consumer_key"], client_secret=inp["consumer_secret"],
            resource_owner_key=inp["token"],
            resource_owner_secret=inp["token_secret"],
            callback_uri=extra.get("oauth_callback"),
            verifier=extra.get("oauth_verifier"),
            signature_method=inp["signature_method"],
            rsa_key=inp["rsa_private_key_pem"], realm=inp["realm"],
            nonce=inp["nonce"], timestamp=inp["timestamp"])
        client.SIGNATURE_METHODS = {
            name: capture(fn) for name, fn in self.Client.SIGNATURE_METHODS.items()}
        try:
            _, signed_headers, _ = client.sign(
                request_uri(inp), http_method=inp["method"], body=body,
                headers=headers)
        except Exception as exc:
            return ("refused", "%s: %s" % (type(exc).__name__, exc))
        authorization = signed_headers["Authorization"]
        realm, params = parse_authorization(authorization)
        names = [n for n, _ in params]
        if ("oauth_body_hash" in names) != ours_hash:
            return None  # oauthlib's own body-hash policy: not comparable
        if ours_hash and body_hash_algorithm(inp["signature_method"]) != "sha1":
            return None  # oauthlib hashes with SHA-1 only
        sig = dict(params)["oauth_signature"]
        return ("ok", captured.get("base_string"), sig, authorization)

    def check(self, inp, result, expected):
        """Compare every applicable oauthlib path with the expected values.
        Returns (confirmed, [disagreements], [other reasons])."""
        outcomes = {
            "signature functions": self.functions_path(inp),
            "Client.sign": self.client_path(inp),
        }
        ran, problems = 0, []
        if (result != "invalid" and inp.get("body_hash")
                and body_kind(inp) != "form"
                and outcomes["Client.sign"] is None):
            # The signature functions take oauth_body_hash as given; only
            # Client.sign computes it, with SHA-1, for a body it is handed
            # under a non-form content type.
            return False, [], [
                "not confirmed by python3-oauthlib %s: it cannot compute "
                "this oauth_body_hash (its Client hashes only with SHA-1, and "
                "only a body it is given with a non-form content type)"
                % self.version]
        for path, outcome in outcomes.items():
            if outcome is None:
                continue
            ran += 1
            if result == "invalid":
                if outcome[0] != "refused":
                    problems.append(
                        "%s accepted the input (signature %s) instead of "
                        "refusing it" % (path, outcome[2]))
                continue
            if outcome[0] == "refused":
                problems.append("%s refused the request (%s)"
                                % (path, outcome[1]))
                continue
            _, base_string, sig, authorization = outcome
            if base_string is not None and base_string != expected["base_string"]:
                problems.append("%s produced the base string %s"
                                % (path, base_string))
            elif sig != expected["signature"]:
                problems.append("%s produced the signature %s" % (path, sig))
            elif (authorization is not None
                  and parse_authorization(authorization)
                  != parse_authorization(expected["authorization"])):
                problems.append("%s produced the header %s"
                                % (path, authorization))
        return ran > 0 and not problems, problems, []


# --------------------------------------------------------------------------
# Confirmation by independent implementations ("peers").
#
# record_peers.mjs runs every vector through five peers (test/interop/) and
# writes what each made of it to peer-results.json.  A vector lists in
# ``confirmed_by`` the peers whose result is "pass" (for an invalid vector:
# the peers that refused it); python3-oauthlib is listed only when, in
# addition, the Oracle above agrees on every oauthlib path.  When fewer than
# MIN_CONFIRMATIONS peers confirm a vector, ``confirmation_note`` says why for
# each of the others: the adapter's reason for an unsupported case, and for a
# disagreement the rule of RFC 5849 the peer breaks, from SIGN_DEVIATIONS
# (the same findings as docs/interop.md).  A disagreement the table does not
# explain, or an entry the record contradicts, stops the generator: a person
# must look at it.

PEER_RESULTS = os.path.join(HERE, "peer-results.json")
MIN_CONFIRMATIONS = 3
PEER_NAMES = {
    "python3-oauthlib": "python3-oauthlib",
    "liboauth": "liboauth",
    "pecl-oauth": "PECL oauth",
    "perl-net-oauth": "Net::OAuth",
    "ruby-oauth": "ruby-oauth",
}

OAUTHLIB, LIBOAUTH, PECL, PERL, RUBY = (
    "python3-oauthlib", "liboauth", "pecl-oauth", "perl-net-oauth",
    "ruby-oauth")

STRICT_DECODING = (
    "the malformed input is signed instead of refused (a '%' must be "
    "followed by two hex digits, RFC 3986 §2.1, and the decoded octets must "
    "be UTF-8, RFC 5849 §3.6 with RFC 3629)")

# (peers, what they do, the vectors that show it).  Every (peer, vector)
# listed must be a disagreement in the record.
SIGN_DEVIATIONS = [
    ((PECL, PERL, RUBY),
     "the HTTP method is not upper-cased (RFC 5849 §3.4.1.1)",
     ["uri-method-lowercase-uppercased", "uri-method-mixed-case-uppercased"]),
    ((LIBOAUTH, PERL),
     "scheme and host keep their case (RFC 5849 §3.4.1.2)",
     ["uri-scheme-and-host-lowercased", "uri-ipv6-host-lowercased",
      "rfc5849-3-4-1-2-uri-example-1"]),
    ((LIBOAUTH,),
     "the text ':80/' is removed whatever the scheme, so https keeps :443 "
     "and loses :80 (RFC 5849 §3.4.1.2)",
     ["uri-https-port-443-removed", "uri-https-on-port-80-kept"]),
    ((PERL,),
     "no default port is removed (RFC 5849 §3.4.1.2)",
     ["uri-http-port-80-removed", "uri-https-port-443-removed",
      "uri-ipv6-default-port-removed", "rfc5849-3-4-1-2-uri-example-1"]),
    ((PERL,),
     "an empty path stays empty instead of '/' (RFC 5849 §3.4.1.2)",
     ["uri-empty-path-is-slash", "uri-empty-path-with-query"]),
    ((PECL,),
     "a URL with an empty path is refused, where RFC 5849 §3.4.1.2 signs '/'",
     ["uri-empty-path-is-slash", "uri-empty-path-with-query"]),
    ((LIBOAUTH, PERL),
     "the userinfo is signed (RFC 5849 §3.4.1.2 leaves it out)",
     ["uri-userinfo-dropped"]),
    ((PERL,),
     "the fragment stays in the base string URI (RFC 5849 §3.4.1.2)",
     ["uri-query-and-fragment-dropped"]),
    ((LIBOAUTH,),
     "the fragment ends up in the last query value (RFC 5849 §3.4.1.2)",
     ["uri-query-and-fragment-dropped"]),
    ((LIBOAUTH,),
     "the URL is split at every '&' and '?', so an '&' in the path starts a "
     "parameter (RFC 5849 §3.4.1.2 takes the path as it is)",
     ["uri-path-sub-delims-kept"]),
    ((LIBOAUTH,),
     "'+' in the path becomes a space (RFC 5849 §3.4.1.2 takes the path as "
     "it is)",
     ["uri-path-plus-kept"]),
    ((LIBOAUTH,),
     "the query is split at a '?' inside it (RFC 5849 §3.4.1.3.1)",
     ["enc-url-query-raw-sub-delims"]),
    ((PECL,),
     "a repeated query name keeps only its last value (RFC 5849 §3.4.1.3.1 "
     "keeps every pair)",
     ["params-repeated-names-kept", "params-repeated-names-sorted-by-value",
      "params-sort-encoded-values", "params-sort-numbers-as-bytes",
      "params-wiki-repeated-name", "params-query-field-added"]),
    ((PERL,),
     "a repeated query name keeps only its first value (RFC 5849 §3.4.1.3.1 "
     "keeps every pair)",
     ["params-repeated-names-kept", "params-repeated-names-sorted-by-value",
      "params-sort-encoded-values", "params-sort-numbers-as-bytes",
      "params-wiki-repeated-name", "params-query-field-added"]),
    ((PECL,),
     "a query parameter replaces form parameters of the same name (RFC 5849 "
     "§3.4.1.3.1 keeps every pair)",
     ["params-query-and-body-same-name"]),
    ((PERL,),
     "the query's a3=a replaces the form's a3=2 q (RFC 5849 §3.4.1.3.1 keeps "
     "every pair)",
     ["rfc5849-3-4-1-1-example"]),
    ((PERL, RUBY),
     "';' separates query parameters (RFC 5849 §3.4.1.3.1 splits at '&' "
     "only)",
     ["params-semicolon-not-separator", "enc-url-query-raw-sub-delims"]),
    ((PERL,),
     "'&&' makes a parameter with an empty name (RFC 5849 §3.4.1.3.1)",
     ["params-empty-segments-skipped"]),
    ((PERL,),
     "a query without any '=' is not signed (RFC 5849 §3.4.1.3.1 gives the "
     "name an empty value)",
     ["params-wiki-name-only"]),
    ((PERL,),
     "a stale oauth_signature in the query is signed (RFC 5849 §3.4.1.3.1 "
     "leaves oauth_signature out; the case is acceptable)",
     ["params-stale-oauth-signature-in-query"]),
    ((OAUTHLIB,),
     "a form is read only under exactly application/x-www-form-urlencoded "
     "and anything else raises (RFC 5849 §3.4.1.3.1; media types are "
     "case-insensitive and may carry parameters)",
     ["body-form-content-type-case-insensitive",
      "body-form-content-type-charset",
      "body-form-content-type-charset-no-space"]),
    ((OAUTHLIB,),
     "a text/plain body that looks like a form raises, where RFC 5849 "
     "§3.4.1.3.1 simply does not sign it",
     ["body-text-plain-not-included"]),
    ((PERL,),
     "the UTF-8 octets of the URL query are encoded twice (RFC 5849 §3.6)",
     ["enc-utf8-two-byte", "enc-utf8-three-byte", "enc-utf8-four-byte",
      "enc-non-ascii-name", "enc-wiki-parameter-encoding-table",
      "enc-url-query-utf8", "params-sort-encoded-names"]),
    ((PECL, RUBY),
     "the decoded names and values are sorted instead of the encoded ones "
     "(RFC 5849 §3.4.1.3.2)",
     ["enc-non-ascii-name", "params-sort-encoded-names"]),
    ((RUBY,),
     "the decoded names and values are sorted instead of the encoded ones "
     "(RFC 5849 §3.4.1.3.2)",
     ["params-sort-encoded-values", "rfc5849-3-4-1-1-example",
      "rfc5849-3-4-1-1-example-raw-body"]),
    ((PERL,),
     "joined name=value strings are sorted, so 'a=3' comes after 'a1=1' "
     "(RFC 5849 §3.4.1.3.2)",
     ["params-sort-name-prefixes", "params-wiki-name-prefix"]),
    ((LIBOAUTH,),
     "a parameter name is cut at its first '=' (RFC 5849 §3.4.1.3.2 "
     "encodes it)",
     ["enc-name-needing-encoding", "params-sort-encoded-names"]),
    ((LIBOAUTH,),
     "Debian's NSS build reads only PKCS#8 RSA keys, not this PKCS#1 "
     "encoding of the same key (RFC 5849 §3.4.3)",
     ["rsa-sha1-oauth-wiki-pkcs1-key"]),
    ((PECL,),
     "an empty client secret is refused, which RFC 5849 §3.4.2 allows",
     ["hmac-sha1-empty-client-secret"]),
    ((OAUTHLIB,),
     "the body is hashed with SHA-1 whatever the signature method (the "
     "corpus uses the method's hash; draft-eaton-oauth-bodyhash-00 names "
     "only SHA-1)",
     ["body-hash-json-sha256", "body-hash-json-sha512",
      "body-hash-rsa-sha256-two-legged", "body-hash-empty-get-sha256"]),
    ((OAUTHLIB,),
     "a request without a body gets no oauth_body_hash "
     "(draft-eaton-oauth-bodyhash-00 hashes the empty string)",
     ["body-hash-empty-get-sha1", "body-hash-empty-get-sha256"]),
    ((RUBY,),
     "PLAINTEXT requests get no oauth_body_hash "
     "(draft-eaton-oauth-bodyhash-00)",
     ["body-hash-plaintext-sha1"]),
]

LIBRARY_PREFIX = re.compile(r"^(liboauth|PECL oauth|Net::OAuth|the oauth gem)"
                            r" ")


def unsupported_reason(detail):
    """An adapter's reason for "unsupported", without the library's name."""
    text = LIBRARY_PREFIX.sub("", detail)
    if text.startswith("has no "):
        return "no " + text[len("has no "):]
    if re.match(r"always (adds|sends) oauth_version", text):
        return "oauth_version cannot be left out"
    return "it " + text


def names(peers):
    names_ = [PEER_NAMES[p] for p in peers]
    if len(names_) == 1:
        return names_[0]
    return ", ".join(names_[:-1]) + " and " + names_[-1]


def confirmation_note(confirmed, groups):
    """The sentence(s) of confirmation_note: how many peers confirm, then
    why each other peer does not, peers with the same reason together.
    ``groups`` is a list of (kind, reason, peer) in peer order."""
    merged = []
    for kind, reason, peer in groups:
        for item in merged:
            if item[0] == kind and item[1] == reason:
                item[2].append(peer)
                break
        else:
            merged.append((kind, reason, [peer]))
    parts = []
    for kind, reason, peers in merged:
        who = names(peers)
        if kind == "unsupported":
            parts.append("%s cannot sign it: %s" % (who, reason))
        elif kind == "deviates":
            parts.append("%s %s: %s" % (
                who, "deviates" if len(peers) == 1 else "deviate", reason))
        else:
            parts.append("%s %s" % (who, reason))
    return "Confirmed by %d of the %d peers (%d wanted). %s." % (
        len(confirmed), len(PEER_NAMES), MIN_CONFIRMATIONS,
        ". ".join(parts))  # each part starts with a name, written as it is


def load_peer_results():
    try:
        with open(PEER_RESULTS, encoding="utf-8") as fh:
            record = json.load(fh)
    except (OSError, ValueError) as exc:
        raise Stop("cannot read %s (%s): run node vectors/generate/"
                   "record_peers.mjs" % (PEER_RESULTS, exc))
    if list(record.get("peers", {})) != list(PEER_NAMES):
        raise Stop("peer-results.json records the peers %s, expected %s"
                   % (list(record.get("peers", {})), list(PEER_NAMES)))
    return record


def deviation_index():
    index = {}
    for peers, text, ids in SIGN_DEVIATIONS:
        for peer in peers:
            for vid in ids:
                index.setdefault((peer, vid), []).append(text)
    return index


class Confirmations:
    """confirmed_by and confirmation_note of the signing vectors."""

    def __init__(self, record):
        self.record = record
        self.results = record["sign"]
        self.details = record.get("details", {})
        self.deviations = deviation_index()
        self.used = set()

    def of(self, vid, result, oracle_confirmed):
        if vid not in self.results:
            raise Stop("%s is not in peer-results.json: run node "
                       "vectors/generate/record_peers.mjs" % vid)
        statuses = self.results[vid]
        confirmed, groups = [], []
        for peer in PEER_NAMES:
            status = statuses.get(peer)
            detail = self.details.get(vid, {}).get(peer, "")
            key = (peer, vid)
            if key in self.deviations:
                self.used.add(key)
                if status == "pass":
                    raise Stop("SIGN_DEVIATIONS says %s deviates on %s, but "
                               "it passes in peer-results.json" % (peer, vid))
            if status == "pass":
                if peer == ORACLE and not oracle_confirmed:
                    groups.append((
                        "other", "is not counted: its Client gives the "
                        "expected answer, its signature functions do not "
                        "(see the notes)", peer))
                else:
                    confirmed.append(peer)
            elif status == "unsupported":
                groups.append(("unsupported", unsupported_reason(detail),
                               peer))
            elif status in ("fail", "acceptable-differs"):
                if result == "invalid":
                    texts = [STRICT_DECODING]
                else:
                    texts = self.deviations.get(key)
                if not texts:
                    raise Stop("%s: %s disagrees (%s) and SIGN_DEVIATIONS "
                               "does not say why: investigate, then add the "
                               "rule it breaks" % (vid, peer, detail))
                groups.append(("deviates", "; and ".join(texts), peer))
            else:
                raise Stop("%s: %s's result is %r (%s): an adapter failed, "
                           "record again" % (vid, peer, status, detail))
        note = None
        if len(confirmed) < MIN_CONFIRMATIONS:
            note = confirmation_note(confirmed, groups)
        return confirmed, note

    def finish(self, ids):
        stale = set(self.results) - set(ids)
        if stale:
            raise Stop("peer-results.json has vectors the corpus does not: "
                       "%s; record again" % sorted(stale))
        unused = set(self.deviations) - self.used
        if unused:
            raise Stop("SIGN_DEVIATIONS names vectors that do not exist: %s"
                       % sorted(unused))


# --------------------------------------------------------------------------
# Case definitions.  V(...) builds one vector; FILES lists the files.

def V(id, description, source, url, flags=(), base_string=None,
      base_uri=None, params=None, signature=None, result="valid",
      error=None, notes=None, **input_fields):
    inp = dict(DEFAULTS)
    inp["url"] = url
    inp.update(input_fields)
    return {
        "id": id, "description": description, "source": source,
        "flags": list(flags), "input": inp, "base_string": base_string,
        "base_uri": base_uri, "params": params, "printed_signature": signature,
        "result": result, "error": error, "notes": notes,
    }


def expand(case):
    """The hand-written expected base string of a case."""
    inp = case["input"]
    if case["base_string"] is not None:
        return case["base_string"]
    oauth = normalize(protocol_params(inp))
    text = case["params"].replace("{OAUTH}", oauth)
    if "{BODY_HASH}" in text:
        text = text.replace("{BODY_HASH}", pe(body_hash_value(inp)))
    assert "{" not in text, case["id"]
    return compose(inp["method"], case["base_uri"], text)


def rfc_lines(*lines):
    """Join an RFC figure whose line breaks are for display only."""
    return "".join(line.strip() for line in lines)


RFC = "RFC 5849"
RFC_TEXT = "https://www.rfc-editor.org/rfc/rfc5849"
ERRATUM_2550 = "https://www.rfc-editor.org/errata/eid2550"
CORE_1_0 = "OAuth Core 1.0 (https://oauth.net/core/1.0/)"
WIKI = "OAuth wiki TestCases (http://wiki.oauth.net/w/page/12238556/TestCases)"

PHOTOS = dict(consumer_key="dpf43f3p2l4k3l03",
              consumer_secret="kd94hf93k423kf44")

RFC_3411_BASE = rfc_lines(
    "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q",
    "%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_",
    "key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m",
    "ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk",
    "9d7dh3k39sjv7")

RFC_3411_INPUT = dict(
    method="POST",
    consumer_key="9djdj82h48djs9d2", consumer_secret="j49sk3j29djd",
    token="kkk9d7dh3k39sjv7", token_secret="dh893hdasih9",
    nonce="7d8f3e4a", timestamp="137131201", realm="Example",
    include_version=False)

RFC_FLAGS = {
    "PrintedSignature": "The expected signature is printed in the cited "
                        "source and is kept verbatim.",
    "PrintedBaseString": "The expected base string is printed in the cited "
                         "source and is kept verbatim.",
    "Erratum": "The source's printed value is wrong; the vector follows the "
               "cited verified erratum and the notes give the printed value.",
    "SchemeInferred": "The source does not state the request's scheme; the "
                      "one used is the only one that reproduces the printed "
                      "signature.",
    "NoVersion": "The request carries no oauth_version parameter.",
    "RawFormBody": "The form body is given as raw text in `body` under a "
                   "form content type instead of as decoded `form` pairs.",
}

RFC_CASES = [
    V("rfc5849-1-2-temporary-credentials",
      "The temporary credential request of the RFC's introductory example "
      "(HMAC-SHA1, callback, no token).",
      RFC + " §1.2 (" + RFC_TEXT + "#section-1.2)",
      "https://photos.example.net/initiate", method="POST", **PHOTOS,
      token=None, token_secret=None, nonce="wIjqoS", timestamp="137131200",
      realm="Photos", include_version=False,
      extra_oauth=[["oauth_callback", "http://printer.example.com/ready"]],
      flags=["PrintedSignature", "NoVersion"],
      base_uri="https://photos.example.net/initiate",
      params="oauth_callback=http%3A%2F%2Fprinter.example.com%2Fready"
             "&oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=wIjqoS"
             "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131200",
      signature="74KNZJeDHnMBp0EMJ9ZHt/XKycU=",
      notes="The RFC prints the signature percent-encoded in the header "
            "(74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D). It does not print this "
            "base string; it is written from §3.4.1 and reproduces the "
            "printed signature."),
    V("rfc5849-1-2-token-credentials",
      "The token credential request of the RFC's introductory example "
      "(HMAC-SHA1, temporary token, verifier).",
      RFC + " §1.2 (" + RFC_TEXT + "#section-1.2)",
      "https://photos.example.net/token", method="POST", **PHOTOS,
      token="hh5s93j4hdidpola", token_secret="hdhd0244k9j7ao03",
      nonce="walatlh", timestamp="137131201", realm="Photos",
      include_version=False,
      extra_oauth=[["oauth_verifier", "hfdp7dh39dks9884"]],
      flags=["PrintedSignature", "NoVersion"],
      base_uri="https://photos.example.net/token",
      params="oauth_consumer_key=dpf43f3p2l4k3l03&oauth_nonce=walatlh"
             "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201"
             "&oauth_token=hh5s93j4hdidpola&oauth_verifier=hfdp7dh39dks9884",
      signature="gKgrFCywp7rO0OXSjdot/IHF7IU=",
      notes="The RFC prints the signature percent-encoded "
            "(gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D)."),
    V("rfc5849-1-2-protected-resource",
      "The protected resource request of the RFC's introductory example "
      "(HMAC-SHA1, query parameters, token credentials).",
      RFC + " §1.2 (" + RFC_TEXT + "#section-1.2)",
      "http://photos.example.net/photos?file=vacation.jpg&size=original",
      **PHOTOS, token="nnch734d00sl2jdk", token_secret="pfkkdhi9sl3r4s00",
      nonce="chapoH", timestamp="137131202", realm="Photos",
      include_version=False,
      flags=["PrintedSignature", "NoVersion", "SchemeInferred"],
      base_uri="http://photos.example.net/photos",
      params="file=vacation.jpg&oauth_consumer_key=dpf43f3p2l4k3l03"
             "&oauth_nonce=chapoH&oauth_signature_method=HMAC-SHA1"
             "&oauth_timestamp=137131202&oauth_token=nnch734d00sl2jdk"
             "&size=original",
      signature="MdpQcU8iPSUjWoN/UDMsK2sui9I=",
      notes="The RFC shows only 'GET /photos?... Host: photos.example.net'. "
            "The printed signature (MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D) is "
            "reproduced with http; with https it would be "
            "91yh92rtXzicpezVYjTDNzieVps=. All three printed §1.2 "
            "signatures are HMAC-SHA1 and correct."),
    V("rfc5849-3-4-1-1-example",
      "The request used throughout §3.1 and §3.4.1: query, form body, "
      "repeated name, realm, no oauth_version.",
      RFC + " §3.1, §3.4.1.1, §3.4.1.3 (" + RFC_TEXT
      + "#section-3.4.1.1); signature as corrected by verified erratum "
      "EID 2550 (" + ERRATUM_2550 + ")",
      "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
      form=[["c2", ""], ["a3", "2 q"]], **RFC_3411_INPUT,
      flags=["PrintedBaseString", "Erratum", "NoVersion"],
      base_string=RFC_3411_BASE, signature="r6/TJjbCOr97/+UU0NsvSne7s5g=",
      notes="The RFC prints oauth_signature=\"bYT5CMsGcbgUdFHObYMEfcx6bsw%3D\" "
            "(bYT5CMsGcbgUdFHObYMEfcx6bsw=) in §3.1 and §3.4.1.1. That value "
            "is HMAC-SHA1 over this base string with GET in place of POST; "
            "verified erratum EID 2550 replaces it with "
            "r6/TJjbCOr97/+UU0NsvSne7s5g=, which is HMAC-SHA1 of the printed "
            "base string with the key j49sk3j29djd&dh893hdasih9."),
    V("rfc5849-3-4-1-1-example-raw-body",
      "The §3.4.1.1 request with its entity-body 'c2&a3=2+q' given as raw "
      "form text.",
      RFC + " §3.4.1.1, §3.4.1.3.1 (" + RFC_TEXT + "#section-3.4.1.3.1); "
      "erratum EID 2550 (" + ERRATUM_2550 + ")",
      "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b",
      body="c2&a3=2+q", content_type=FORM_TYPE, **RFC_3411_INPUT,
      flags=["PrintedBaseString", "Erratum", "NoVersion", "RawFormBody"],
      base_string=RFC_3411_BASE, signature="r6/TJjbCOr97/+UU0NsvSne7s5g=",
      notes="'c2' has no '=' and so an empty value; '+' in '2+q' is a "
            "space. The RFC's printed bYT5CMsGcbgUdFHObYMEfcx6bsw= is wrong "
            "(EID 2550)."),
    V("rfc5849-3-4-1-2-uri-example-1",
      "Base string URI example 1: upper-case host, default port 80, "
      "escaped space in the path, query dropped.",
      RFC + " §3.4.1.2 (" + RFC_TEXT + "#section-3.4.1.2)",
      "http://EXAMPLE.COM:80/r%20v/X?id=123",
      base_uri="http://example.com/r%20v/X", params="id=123&{OAUTH}",
      notes="The RFC prints the base string URI http://example.com/r%20v/X; "
            "the credentials are this corpus's defaults."),
    V("rfc5849-3-4-1-2-uri-example-2",
      "Base string URI example 2: https on non-default port 8080, root "
      "path, query dropped.",
      RFC + " §3.4.1.2 (" + RFC_TEXT + "#section-3.4.1.2)",
      "https://www.example.net:8080/?q=1",
      base_uri="https://www.example.net:8080/", params="{OAUTH}&q=1",
      notes="The RFC prints the base string URI "
            "https://www.example.net:8080/; the credentials are this "
            "corpus's defaults."),
]

COMMUNITY_FLAGS = {
    "PrintedSignature": "The expected signature is printed in the cited "
                        "source and is kept verbatim.",
    "PrintedBaseString": "The expected base string is printed in the cited "
                         "source and is kept verbatim.",
    "Plaintext": "PLAINTEXT signature method.",
}

COMMUNITY_CASES = [
    V("oauth-core-1-0-a2-request-token-plaintext",
      "OAuth Core 1.0 Appendix A.2: request token with PLAINTEXT and no "
      "token.",
      CORE_1_0 + " Appendix A.2; base string from " + WIKI
      + " 'Concatenate Request Elements'",
      "https://photos.example.net/request_token", method="POST", **PHOTOS,
      token=None, token_secret=None, signature_method="PLAINTEXT",
      nonce="hsu94j3884jdopsl", timestamp="1191242090",
      flags=["PrintedSignature", "PrintedBaseString", "Plaintext"],
      base_string="POST&https%3A%2F%2Fphotos.example.net%2Frequest_token"
                  "&oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce%3D"
                  "hsu94j3884jdopsl%26oauth_signature_method%3DPLAINTEXT"
                  "%26oauth_timestamp%3D1191242090%26oauth_version%3D1.0",
      signature="kd94hf93k423kf44&",
      notes="PLAINTEXT does not use the base string (RFC 5849 §3.4.4); the "
            "wiki prints it for this request all the same. The spec prints "
            "the signature percent-encoded (kd94hf93k423kf44%26)."),
    V("oauth-core-1-0-a4-access-token-plaintext",
      "OAuth Core 1.0 Appendix A.4: access token request with PLAINTEXT and "
      "the request token.",
      CORE_1_0 + " Appendix A.4",
      "https://photos.example.net/access_token", method="POST", **PHOTOS,
      token="hh5s93j4hdidpola", token_secret="hdhd0244k9j7ao03",
      signature_method="PLAINTEXT", nonce="dji430splmx33448",
      timestamp="1191242092",
      flags=["PrintedSignature", "Plaintext"],
      base_uri="https://photos.example.net/access_token", params="{OAUTH}",
      signature="kd94hf93k423kf44&hdhd0244k9j7ao03",
      notes="Core 1.0 predates oauth_verifier (Core 1.0a / RFC 5849). The "
            "spec prints the signature percent-encoded "
            "(kd94hf93k423kf44%26hdhd0244k9j7ao03)."),
    V("oauth-core-1-0-a5-protected-resource-hmac-sha1",
      "OAuth Core 1.0 Appendix A.5: the photos.example.net protected "
      "resource request signed with HMAC-SHA1.",
      CORE_1_0 + " Appendix A.5.1-A.5.2; also " + WIKI + " 'HMAC-SHA1'",
      "http://photos.example.net/photos?file=vacation.jpg&size=original",
      **PHOTOS, token="nnch734d00sl2jdk", token_secret="pfkkdhi9sl3r4s00",
      nonce="kllo9940pd9333jh", timestamp="1191242096",
      flags=["PrintedSignature", "PrintedBaseString"],
      base_string="GET&http%3A%2F%2Fphotos.example.net%2Fphotos&file%3D"
                  "vacation.jpg%26oauth_consumer_key%3Ddpf43f3p2l4k3l03"
                  "%26oauth_nonce%3Dkllo9940pd9333jh%26oauth_signature_method"
                  "%3DHMAC-SHA1%26oauth_timestamp%3D1191242096%26oauth_token"
                  "%3Dnnch734d00sl2jdk%26oauth_version%3D1.0%26size%3Doriginal",
      signature="tR3+Ty81lMeYAr/Fid0kMTYa/WM=",
      notes="Signing key kd94hf93k423kf44&pfkkdhi9sl3r4s00."),
]

X_CREDS = dict(
    method="POST", form=[["status",
                          "Hello Ladies + Gentlemen, a signed OAuth request!"]],
    consumer_key="xvz1evFS4wEEPTGEFPHBog",
    consumer_secret="kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
    token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    token_secret="LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
    nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg",
    timestamp="1318622958")

X_PARAMS = ("include_entities=true&oauth_consumer_key=xvz1evFS4wEEPTGEFPHBog"
            "&oauth_nonce=kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
            "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1318622958"
            "&oauth_token=370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
            "&oauth_version=1.0&status=Hello%20Ladies%20%2B%20Gentlemen%2C"
            "%20a%20signed%20OAuth%20request%21")

PROVIDER_FLAGS = {
    "PrintedSignature": "The expected signature is printed in the cited "
                        "provider documentation and is kept verbatim.",
    "PrintedBaseString": "The expected base string is printed in the cited "
                         "provider documentation and is kept verbatim.",
    "NotInRfc": "A method RFC 5849 does not define (HMAC-SHA256); the "
                "corpus follows the RFC's HMAC construction with SHA-256.",
    "Realm": "The Authorization header carries a realm, which is not "
             "signed.",
    "FormBody": "The request has an application/x-www-form-urlencoded body "
                "whose parameters are signed.",
}

PROVIDER_CASES = [
    V("x-creating-a-signature-api-twitter-com",
      "X (Twitter) developer documentation 'Creating a signature': status "
      "update to api.twitter.com/1.1 with a query and a form body.",
      "X developer documentation, 'Creating a signature', revision naming "
      "https://api.twitter.com/1.1/statuses/update.json (https://developer."
      "x.com/content/developer-twitter/en/docs/basics/authentication/guides/"
      "creating-a-signature)",
      "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
      **X_CREDS, flags=["PrintedSignature", "FormBody"],
      base_uri="https://api.twitter.com/1.1/statuses/update.json",
      params=X_PARAMS, signature="hCtSmYh+iHYCEqBWrE7C7hYmtUk=",
      notes="The page prints the parameter string, the base string, the "
            "signing key and the signature hCtSmYh+iHYCEqBWrE7C7hYmtUk=."),
    V("x-creating-a-signature-api-x-com",
      "The same X documentation example in its current revision, which "
      "names the host api.x.com.",
      "X developer documentation, 'Creating a signature' "
      "(https://docs.x.com/fundamentals/authentication/oauth-1-0a/"
      "creating-a-signature); printed signature as shown in the page's "
      "translation at https://generaltranslation.mintlify.app/ko/"
      "fundamentals/authentication/oauth-1-0a/creating-a-signature",
      "https://api.x.com/1.1/statuses/update.json?include_entities=true",
      **X_CREDS, flags=["PrintedSignature", "FormBody"],
      base_uri="https://api.x.com/1.1/statuses/update.json",
      params=X_PARAMS, signature="Ls93hJiZbQ3akF3HF3x1Bz8/zU4=",
      notes="Only the host differs from x-creating-a-signature-api-twitter-"
            "com, so only the signature changes. The copy of the English "
            "page available to the author was cut before the printed value; "
            "the value was read from the translation named in source and "
            "matches the signature computed independently here."),
    V("twitter-v1-creating-signatures",
      "The original Twitter 'Creating a signature' example for API v1 "
      "(api.twitter.com/1/statuses/update.json).",
      "Twitter developer documentation, 'Creating a signature' for API v1 "
      "(https://dev.twitter.com/oauth/overview/creating-signatures)",
      "https://api.twitter.com/1/statuses/update.json?include_entities=true",
      **X_CREDS, flags=["PrintedSignature", "FormBody"],
      base_uri="https://api.twitter.com/1/statuses/update.json",
      params=X_PARAMS, signature="tnnArxj06cWHq44gCs1OSKk/jLY=",
      notes="X's 'Authorizing a request' page prints this signature "
            "(tnnArxj06cWHq44gCs1OSKk%2FjLY%3D) in its example header; it "
            "belongs to the /1 URL. The later revisions of 'Creating a "
            "signature' changed the URL and so the signature (see the two "
            "x-creating-a-signature-* vectors)."),
]

NETSUITE_DOC = ("https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/"
                "section_1534941088.html")
NETSUITE_HEADER_DOC = ("https://docs.oracle.com/en/cloud/saas/netsuite/"
                       "ns-online-help/section_1534941295.html")

PROVIDER_CASES.append(
    V("netsuite-tba-rest-web-services-example",
      "NetSuite token-based authentication: Oracle's REST web services "
      "example, a GET of employee 40 signed with HMAC-SHA256 and the account "
      "id as realm.",
      "NetSuite Applications Suite, 'The Signature for Web Services and "
      "RESTlets' (" + NETSUITE_DOC + ") and 'The Authorization Headers', "
      "REST Web Services Header Example (" + NETSUITE_HEADER_DOC + ")",
      "https://123456.suitetalk.api.netsuite.com/services/rest/record/v1/"
      "employee/40",
      consumer_key="ef40afdd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4",
      consumer_secret="d26ad321a4b2f23b0741c8d38392ce01c3e23e109df6c96eac6d099e9ab9e8b5",
      token="2b0ce516420110bcbd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc",
      token_secret="c29a677df7d5439a458c063654187e3d678d73aca8e3c9d8bea1478a3eb0d295",
      signature_method="HMAC-SHA256", nonce="fjaLirsIcCGVZWzBX0pg",
      timestamp="1508242306", realm="123456",
      flags=["PrintedSignature", "PrintedBaseString", "NotInRfc", "Realm"],
      base_string=(
          "GET&https%3A%2F%2F123456.suitetalk.api.netsuite.com%2Fservices"
          "%2Frest%2Frecord%2Fv1%2Femployee%2F40&oauth_consumer_key%3Def40af"
          "dd8abaac111b13825dd5e5e2ddddb44f86d5a0dd6dcf38c20aae6b67e4%26oauth"
          "_nonce%3DfjaLirsIcCGVZWzBX0pg%26oauth_signature_method%3DHMAC-SHA2"
          "56%26oauth_timestamp%3D1508242306%26oauth_token%3D2b0ce516420110bc"
          "bd36b69e99196d1b7f6de3c6234c5afb799b73d87569f5cc%26oauth_version%3"
          "D1.0"),
      signature="B5OIWznZ2YP0OB7VrJrGkYsTh+8H+5T9Hag+o92q0zY=",
      notes="The page prints the signature percent-encoded, as it appears "
            "in the header (B5OIWznZ2YP0OB7VrJrGkYsTh%2B8H%2B5T9Hag%2Bo92q0z"
            "Y%3D); the vector keeps the raw value. The copy of Oracle's page "
            "available to the author was cut before the printed values; the "
            "base string and signature were taken as two independent "
            "projects' tests quote them verbatim from that page, and "
            "python3-oauthlib computes the same signature. The realm is the "
            "account id (123456); for a sandbox it would be 123456_SB1 while "
            "the host says 123456-sb1."))


E = "https://example.com/enc"
ENC_SRC = RFC + " §3.6 (" + RFC_TEXT + "#section-3.6)"
QDEC_SRC = (RFC + " §3.4.1.3.1 (query decoded as application/x-www-form-"
            "urlencoded, W3C HTML 4.0 §17.13.4) and §3.6")

ENCODING_FLAGS = {
    "NonAscii": "Names or values outside US-ASCII, encoded as UTF-8 octets.",
    "Reserved": "Characters that RFC 3986 reserves, which §3.6 encodes.",
    "EncodeURIComponentTrap": "Characters that JavaScript's "
                              "encodeURIComponent leaves alone but §3.6 "
                              "encodes: ! ' ( ) *.",
    "UrlQueryDecoding": "The value arrives percent-encoded in the URL query "
                        "and must be decoded before it is re-encoded.",
    "StrictDecoding": "The input holds a malformed escape or invalid UTF-8; "
                      "an implementation must refuse it rather than guess.",
    "Wiki": "Values from the OAuth wiki TestCases 'Parameter Encoding' table.",
}

ENCODING_CASES = [
    V("enc-unreserved-not-encoded",
      "Letters, digits and - . _ ~ are left as they are.",
      ENC_SRC, E, query=[["v", "AZaz09-._~"]],
      base_uri=E, params="{OAUTH}&v=AZaz09-._~"),
    V("enc-gen-delims",
      "The RFC 3986 gen-delims : / ? # [ ] @ are encoded.",
      ENC_SRC, E, query=[["v", ":/?#[]@"]], flags=["Reserved"],
      base_uri=E, params="{OAUTH}&v=%3A%2F%3F%23%5B%5D%40"),
    V("enc-sub-delims",
      "The RFC 3986 sub-delims ! $ & ' ( ) * + , ; = are encoded.",
      ENC_SRC, E, query=[["v", "!$&'()*+,;="]],
      flags=["Reserved", "EncodeURIComponentTrap"],
      base_uri=E, params="{OAUTH}&v=%21%24%26%27%28%29%2A%2B%2C%3B%3D"),
    V("enc-encodeuricomponent-trap",
      "! ' ( ) * are encoded while ~ is not, unlike encodeURIComponent and "
      "many form encoders.",
      ENC_SRC, E, query=[["v", "~!'()*~"]], flags=["EncodeURIComponentTrap"],
      base_uri=E, params="{OAUTH}&v=~%21%27%28%29%2A~"),
    V("enc-tilde-in-name-and-value",
      "~ stays unencoded in names and values.",
      ENC_SRC, E, query=[["~t", "a~b"]],
      base_uri=E, params="{OAUTH}&~t=a~b"),
    V("enc-space-is-percent-20",
      "A space is %20, never '+', including at the ends of a value.",
      ENC_SRC, E, query=[["v", " a b "]],
      base_uri=E, params="{OAUTH}&v=%20a%20b%20"),
    V("enc-percent-sign",
      "A literal % is %25, also when it looks like an escape.",
      ENC_SRC, E, query=[["v", "100% %41"]],
      base_uri=E, params="{OAUTH}&v=100%25%20%2541"),
    V("enc-plus-sign",
      "A literal + is %2B.",
      ENC_SRC, E, query=[["v", "1+1=2"]],
      base_uri=E, params="{OAUTH}&v=1%2B1%3D2"),
    V("enc-utf8-two-byte",
      "A two-byte UTF-8 character (é U+00E9) is %C3%A9.",
      ENC_SRC, E, query=[["v", "café"]], flags=["NonAscii"],
      base_uri=E, params="{OAUTH}&v=caf%C3%A9"),
    V("enc-utf8-three-byte",
      "A three-byte UTF-8 character (€ U+20AC) is %E2%82%AC.",
      ENC_SRC, E, query=[["v", "5€"]], flags=["NonAscii"],
      base_uri=E, params="{OAUTH}&v=5%E2%82%AC"),
    V("enc-utf8-four-byte",
      "A four-byte UTF-8 character outside the BMP (𝄞 U+1D11E) is "
      "%F0%9D%84%9E, not two escaped UTF-16 surrogates.",
      ENC_SRC, E, query=[["v", "𝄞"]], flags=["NonAscii"],
      base_uri=E, params="{OAUTH}&v=%F0%9D%84%9E"),
    V("enc-non-ascii-name",
      "Names are encoded like values; the encoded name sorts by its bytes.",
      ENC_SRC, E, query=[["ñame", "ü"]], flags=["NonAscii"],
      base_uri=E, params="%C3%B1ame=%C3%BC&{OAUTH}",
      notes="'%C3%B1ame' sorts before 'oauth_...' because '%' (0x25) is "
            "below 'o'."),
    V("enc-control-characters",
      "Line feed, tab and DEL are encoded.",
      ENC_SRC, E, query=[["v", "a\nb\tc\x7f"]],
      base_uri=E, params="{OAUTH}&v=a%0Ab%09c%7F"),
    V("enc-every-printable-ascii",
      "A value made of every printable ASCII byte, 0x20 (space) to 0x7E "
      "(~) in order: only A-Z a-z 0-9 - . _ ~ stay as they are, every other "
      "byte is %XX with upper-case hex.",
      ENC_SRC, E,
      query=[["v", "".join(chr(c) for c in range(0x20, 0x7F))]],
      flags=["Reserved", "EncodeURIComponentTrap"], base_uri=E,
      params="{OAUTH}&v=%20%21%22%23%24%25%26%27%28%29%2A%2B%2C-.%2F"
             "0123456789%3A%3B%3C%3D%3E%3F%40"
             "ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60"
             "abcdefghijklmnopqrstuvwxyz%7B%7C%7D~",
      notes="The value is given decoded in `query`; the adapter encodes it "
            "into the URL. The only bytes left unencoded are the 66 "
            "unreserved characters of RFC 5849 §3.6."),
    V("enc-every-control-byte",
      "A value made of every ASCII control byte 0x01-0x1F and 0x7F, "
      "percent-escaped in the URL query: each is decoded and encoded again "
      "as %XX with upper-case hex.",
      QDEC_SRC,
      E + "?v=%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F"
          "%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F%7F",
      flags=["UrlQueryDecoding"], base_uri=E,
      params="{OAUTH}&v=%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F"
             "%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F%7F",
      notes="The decoded value holds the raw control bytes (tab, line "
            "feed, carriage return, escape...); the base string carries "
            "them encoded again, so it is the URL's escapes once more, "
            "encoded a second time by the base string's own §3.6 step. "
            "0x00 is left out: many implementations cannot hold it in a "
            "string."),
    V("enc-wiki-parameter-encoding-table",
      "Every row of the OAuth wiki's parameter encoding table, one "
      "parameter each.",
      WIKI + " 'Parameter Encoding (section 5.1)'", E,
      query=[["w0", "abcABC123"], ["w1", "-._~"], ["w2", "%"], ["w3", "+"],
             ["w4", "&=*"], ["w5", "\n"], ["w6", " "], ["w7", "\x7f"],
             ["w8", "\u0080"], ["w9", "\u3001"]],
      flags=["Wiki", "NonAscii"],
      base_uri=E,
      params="{OAUTH}&w0=abcABC123&w1=-._~&w2=%25&w3=%2B&w4=%26%3D%2A"
             "&w5=%0A&w6=%20&w7=%7F&w8=%C2%80&w9=%E3%80%81"),
    V("enc-name-needing-encoding",
      "A name holding space, & and = is encoded like a value.",
      ENC_SRC, E, query=[["a b&c=d", "x"]],
      base_uri=E, params="a%20b%26c%3Dd=x&{OAUTH}"),
    V("enc-url-query-decoded-then-encoded",
      "Escapes in the URL query are decoded (lower-case hex too, '+' is a "
      "space, %2B is '+') and the result is encoded afresh.",
      QDEC_SRC, E + "?v=%7e%41%2b+%25%20", flags=["UrlQueryDecoding"],
      base_uri=E, params="{OAUTH}&v=~A%2B%20%25%20",
      notes="Decoded value: '~A+ % '."),
    V("enc-url-query-utf8",
      "UTF-8 escapes in the URL query decode to text and encode back with "
      "upper-case hex.",
      QDEC_SRC, E + "?v=caf%c3%a9&w=%E2%82%AC",
      flags=["UrlQueryDecoding", "NonAscii"],
      base_uri=E, params="{OAUTH}&v=caf%C3%A9&w=%E2%82%AC"),
    V("enc-url-query-raw-sub-delims",
      "Characters a URL query may carry unescaped are still encoded in the "
      "base string; ';' does not separate parameters.",
      QDEC_SRC, E + "?v=a:b/c?d@e!f$g'h(i)j*k,l;m",
      flags=["UrlQueryDecoding", "Reserved", "EncodeURIComponentTrap"],
      base_uri=E,
      params="{OAUTH}&v=a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm",
      notes="A WHATWG URL parser rewrites the ' in a special URL's query as "
            "%27; decoding gives ' back, so the base string is the same."),
    V("enc-invalid-escape-zz",
      "A % not followed by two hex digits in the URL query is malformed.",
      QDEC_SRC + "; RFC 3986 §2.1", E + "?v=%zz", flags=["StrictDecoding"],
      result="invalid", error="malformed percent-escape in the query"),
    V("enc-invalid-escape-in-name",
      "A malformed escape in a parameter name is refused too.",
      QDEC_SRC + "; RFC 3986 §2.1", E + "?%zz=1", flags=["StrictDecoding"],
      result="invalid", error="malformed percent-escape in the query"),
    V("enc-invalid-truncated-escape",
      "An escape cut short at the end of the query is malformed.",
      QDEC_SRC + "; RFC 3986 §2.1", E + "?v=%2", flags=["StrictDecoding"],
      result="invalid", error="truncated percent-escape in the query"),
    V("enc-invalid-lone-percent",
      "A bare % at the end of the query is malformed.",
      QDEC_SRC + "; RFC 3986 §2.1", E + "?v=100%", flags=["StrictDecoding"],
      result="invalid", error="bare % in the query",
      notes="The WHATWG form decoder would keep '%' literally; RFC 3986 "
            "does not allow a bare % in a URI, and guessing changes what "
            "is signed."),
    V("enc-invalid-utf8",
      "%C3%28 decodes to bytes that are not UTF-8.",
      QDEC_SRC + "; RFC 3629", E + "?v=%C3%28",
      flags=["StrictDecoding", "NonAscii"],
      result="invalid", error="invalid UTF-8 in the query"),
    V("enc-invalid-utf8-overlong",
      "%C0%AF is an overlong UTF-8 form of '/', which RFC 3629 forbids.",
      QDEC_SRC + "; RFC 3629 §3", E + "?v=%C0%AF",
      flags=["StrictDecoding", "NonAscii"],
      result="invalid", error="invalid UTF-8 in the query"),
    V("enc-invalid-utf8-surrogate",
      "%ED%A0%80 encodes a UTF-16 surrogate, which is not valid UTF-8.",
      QDEC_SRC + "; RFC 3629 §3", E + "?v=%ED%A0%80",
      flags=["StrictDecoding", "NonAscii"],
      result="invalid", error="invalid UTF-8 in the query"),
]

P = "https://example.com/p"
PSRC = RFC + " §3.4.1.3.1 (" + RFC_TEXT + "#section-3.4.1.3.1)"
NSRC = RFC + " §3.4.1.3.2 (" + RFC_TEXT + "#section-3.4.1.3.2)"
OAUTH_NO_TOKEN = ("oauth_consumer_key=vector-client&oauth_nonce=n0nce"
                  "&oauth_signature_method=HMAC-SHA1"
                  "&oauth_timestamp=1700000000")

PARAMETER_FLAGS = {
    "Sorting": "Checks the byte-order sort of encoded names and values.",
    "RepeatedNames": "The same name occurs more than once; every "
                     "occurrence is kept.",
    "FormBody": "The request has an application/x-www-form-urlencoded body.",
    "ProtocolParameters": "Checks which protocol parameters take part.",
    "TwoLegged": "No token: the request is signed with client credentials "
                 "only.",
    "NoVersion": "The request carries no oauth_version parameter.",
    "Wiki": "Parameters from the OAuth wiki TestCases 'Normalize Request "
            "Parameters' table.",
}

PARAMETER_CASES = [
    V("params-query-plus-is-space",
      "In the URL query '+' is a space (encoded %20) and %2B is a '+'.",
      PSRC, P + "?q=a+b%2Bc",
      base_uri=P, params="{OAUTH}&q=a%20b%2Bc"),
    V("params-repeated-names-kept",
      "Repeated names in the query are all kept.",
      PSRC, P + "?a=1&a=1&a=2", flags=["RepeatedNames"],
      base_uri=P, params="a=1&a=1&a=2&{OAUTH}"),
    V("params-repeated-names-sorted-by-value",
      "Parameters sharing a name are sorted by value, not kept in arrival "
      "order.",
      NSRC, P + "?a=z&a=y&a=x", flags=["RepeatedNames", "Sorting"],
      base_uri=P, params="a=x&a=y&a=z&{OAUTH}"),
    V("params-query-and-body-same-name",
      "A name in both the query and the form body is kept from both.",
      PSRC, P + "?a=1", method="POST", form=[["a", "1"], ["a", "0"]],
      flags=["RepeatedNames", "FormBody"],
      base_uri=P, params="a=0&a=1&a=1&{OAUTH}"),
    V("params-form-order-kept",
      "Form pairs are collected in order with repeats; the normalization "
      "sort decides the final order.",
      PSRC, P, method="POST", form=[["b", "2"], ["a", "2"], ["a", "1"]],
      flags=["RepeatedNames", "FormBody"],
      base_uri=P, params="a=1&a=2&b=2&{OAUTH}"),
    V("params-value-with-equals",
      "Only the first '=' separates name and value: a=b=c has the value "
      "'b=c'.",
      PSRC, P + "?a=b=c",
      base_uri=P, params="a=b%3Dc&{OAUTH}"),
    V("params-pair-without-equals",
      "A pair without '=' has an empty value, like a pair ending in '='.",
      PSRC + " (the 'c2' example)", P + "?flag&x=",
      base_uri=P, params="flag=&{OAUTH}&x="),
    V("params-empty-segments-skipped",
      "Empty segments between '&' separators are not parameters.",
      PSRC + "; WHATWG URL Standard, application/x-www-form-urlencoded "
      "parser", P + "?a=1&&b=2&",
      base_uri=P, params="a=1&b=2&{OAUTH}"),
    V("params-semicolon-not-separator",
      "';' is part of a value, not a separator.",
      PSRC + "; W3C HTML 4.0 §17.13.4", P + "?a=1;b=2",
      base_uri=P, params="a=1%3Bb%3D2&{OAUTH}"),
    V("params-empty-query",
      "A '?' with nothing after it adds no parameter.",
      PSRC, P + "?",
      base_uri=P, params="{OAUTH}"),
    V("params-query-field-added",
      "Pairs in the input's `query` are added to those already in the URL.",
      PSRC, P + "?a=1", query=[["b", "2"], ["a", "0"]],
      flags=["RepeatedNames"],
      base_uri=P, params="a=0&a=1&b=2&{OAUTH}"),
    V("params-query-field-needs-encoding",
      "A decoded `query` value holding + & = and a space survives the trip "
      "into the URL and back.",
      PSRC, P, query=[["q", "a+b&c=d e"]],
      base_uri=P, params="{OAUTH}&q=a%2Bb%26c%3Dd%20e"),
    V("params-sort-name-prefixes",
      "Encoded names sort by bytes: A < a < a%20b < a-b < a1 < a_b.",
      NSRC, P,
      query=[["a1", "1"], ["a-b", "2"], ["a", "3"], ["a_b", "4"],
             ["A", "5"], ["a b", "6"]],
      flags=["Sorting"],
      base_uri=P, params="A=5&a=3&a%20b=6&a-b=2&a1=1&a_b=4&{OAUTH}",
      notes="Sorting the joined 'name=value' strings instead gives "
            "A=5, a%20b=6, a-b=2, a1=1, a=3, a_b=4, which is wrong: the "
            "name is compared first, as a whole."),
    V("params-sort-encoded-values",
      "Values sort by their encoded bytes: %3D < %C3%A9 < 0 < z, unlike "
      "the decoded order 0 < = < z < é.",
      NSRC, P, query=[["v", "0"], ["v", "="], ["v", "é"], ["v", "z"]],
      flags=["Sorting", "RepeatedNames"],
      base_uri=P, params="{OAUTH}&v=%3D&v=%C3%A9&v=0&v=z"),
    V("params-sort-encoded-names",
      "Names sort by their encoded bytes too: %3D < %C3%A9 < 0 < oauth_* "
      "< z.",
      NSRC, P, query=[["z", "1"], ["é", "2"], ["=", "3"], ["0", "4"]],
      flags=["Sorting"],
      base_uri=P, params="%3D=3&%C3%A9=2&0=4&{OAUTH}&z=1"),
    V("params-sort-uppercase-first",
      "Upper-case letters sort before lower-case ones (byte order, not "
      "alphabetical).",
      NSRC, P, query=[["b", "1"], ["B", "2"], ["a", "3"]],
      flags=["Sorting"],
      base_uri=P, params="B=2&a=3&b=1&{OAUTH}"),
    V("params-sort-numbers-as-bytes",
      "Numeric values sort as strings: 1 < 10 < 9.",
      NSRC, P + "?n=9&n=10&n=1", flags=["Sorting", "RepeatedNames"],
      base_uri=P, params="n=1&n=10&n=9&{OAUTH}"),
    V("params-wiki-name-only",
      "A lone name normalizes to 'name='.",
      WIKI + " 'Normalize Request Parameters'", P + "?name",
      flags=["Wiki"], base_uri=P, params="name=&{OAUTH}"),
    V("params-wiki-repeated-name",
      "a=x!y&a=x+y normalizes to a=x%20y&a=x%21y.",
      WIKI + " 'Normalize Request Parameters'", P + "?a=x!y&a=x+y",
      flags=["Wiki", "Sorting", "RepeatedNames"],
      base_uri=P, params="a=x%20y&a=x%21y&{OAUTH}"),
    V("params-wiki-name-prefix",
      "x!y=a&x=a normalizes to x=a&x%21y=a.",
      WIKI + " 'Normalize Request Parameters'", P + "?x!y=a&x=a",
      flags=["Wiki", "Sorting"],
      base_uri=P, params="{OAUTH}&x=a&x%21y=a"),
    V("params-empty-values",
      "'a=' and 'b' both give empty values, which keep their '='.",
      NSRC, P + "?a=&b",
      base_uri=P, params="a=&b=&{OAUTH}"),
    V("params-realm-excluded",
      "The Authorization header's realm is not a signed parameter.",
      PSRC + "; §3.5.1", P + "?a=1", realm="Example",
      flags=["ProtocolParameters"],
      base_uri=P, params="a=1&{OAUTH}"),
    V("params-realm-query-parameter-included",
      "A query parameter that happens to be named 'realm' is signed; only "
      "the header's realm is left out.",
      PSRC, P + "?realm=query", realm="Example",
      flags=["ProtocolParameters"],
      base_uri=P, params="{OAUTH}&realm=query"),
    V("params-two-legged-no-token",
      "Without a token, oauth_token is absent and the key ends with '&'.",
      RFC + " §3.1 (oauth_token MAY be omitted), §3.4.2", P + "?a=1",
      token=None, token_secret=None,
      flags=["ProtocolParameters", "TwoLegged"],
      base_uri=P, params="a=1&" + OAUTH_NO_TOKEN + "&oauth_version=1.0"),
    V("params-no-version",
      "When oauth_version is not sent it is not signed either.",
      PSRC + " (parameters not explicitly included are excluded)",
      P + "?a=1", include_version=False, flags=["ProtocolParameters",
                                                "NoVersion"],
      base_uri=P,
      params="a=1&oauth_consumer_key=vector-client&oauth_nonce=n0nce"
             "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000"
             "&oauth_token=vector-token"),
    V("params-oauth-callback",
      "oauth_callback is signed, and its URL is encoded once more in the "
      "base string.",
      RFC + " §2.1, §3.4.1.3.1", "https://example.com/initiate",
      method="POST", token=None, token_secret=None,
      extra_oauth=[["oauth_callback",
                    "https://client.example.net/cb?x=1&y=a b"]],
      flags=["ProtocolParameters", "TwoLegged"],
      base_uri="https://example.com/initiate",
      params="oauth_callback=https%3A%2F%2Fclient.example.net%2Fcb%3Fx%3D1"
             "%26y%3Da%20b&" + OAUTH_NO_TOKEN + "&oauth_version=1.0"),
    V("params-oauth-callback-oob",
      "The out-of-band callback value 'oob' is signed like any value.",
      RFC + " §2.1", "https://example.com/initiate", method="POST",
      token=None, token_secret=None,
      extra_oauth=[["oauth_callback", "oob"]],
      flags=["ProtocolParameters", "TwoLegged"],
      base_uri="https://example.com/initiate",
      params="oauth_callback=oob&" + OAUTH_NO_TOKEN + "&oauth_version=1.0"),
    V("params-oauth-verifier",
      "oauth_verifier is signed with the temporary token.",
      RFC + " §2.3", "https://example.com/token", method="POST",
      token="temp-token", token_secret="temp-secret",
      extra_oauth=[["oauth_verifier", "473f82d3"]],
      flags=["ProtocolParameters"],
      base_uri="https://example.com/token",
      params=OAUTH_NO_TOKEN + "&oauth_token=temp-token"
             "&oauth_verifier=473f82d3&oauth_version=1.0"),
    V("params-stale-oauth-signature-in-query",
      "An oauth_signature already present in the URL is never part of the "
      "base string.",
      PSRC + " ('oauth_signature' MUST be excluded)",
      P + "?oauth_signature=stale&a=1", result="acceptable",
      flags=["ProtocolParameters"],
      base_uri=P, params="a=1&{OAUTH}",
      notes="Acceptable rather than valid: a signer may instead refuse a "
            "URL that already carries oauth_signature, since the signed "
            "request would then hold the parameter twice (§3.1 step 2). If "
            "it signs, the stale value must not be in the base string."),
]

BSRC = RFC + " §3.4.1.2 (" + RFC_TEXT + "#section-3.4.1.2)"

URI_FLAGS = {
    "Method": "Checks the method part of the base string.",
    "Port": "Checks removal or keeping of the port.",
    "PathKept": "The path is used exactly as sent: escapes are neither "
                "decoded nor re-encoded, '+' stays '+'.",
    "Ipv6": "The host is an IPv6 literal.",
}

URI_CASES = [
    V("uri-method-lowercase-uppercased",
      "A method given in lower case is upper-cased.",
      RFC + " §3.4.1.1 item 1", "https://example.com/r", method="post",
      flags=["Method"], base_uri="https://example.com/r", params="{OAUTH}"),
    V("uri-method-mixed-case-uppercased",
      "A method given in mixed case is upper-cased.",
      RFC + " §3.4.1.1 item 1", "https://example.com/r", method="Delete",
      flags=["Method"], base_uri="https://example.com/r", params="{OAUTH}"),
    V("uri-scheme-and-host-lowercased",
      "Scheme and host are lower-cased; the path keeps its case.",
      BSRC + " item 1", "HTTPS://API.Example.COM/Path/To?Q=V",
      base_uri="https://api.example.com/Path/To", params="Q=V&{OAUTH}"),
    V("uri-http-port-80-removed",
      "Port 80 is dropped for http.",
      BSRC + " item 3", "http://example.com:80/r", flags=["Port"],
      base_uri="http://example.com/r", params="{OAUTH}"),
    V("uri-https-port-443-removed",
      "Port 443 is dropped for https.",
      BSRC + " item 3", "https://example.com:443/r", flags=["Port"],
      base_uri="https://example.com/r", params="{OAUTH}"),
    V("uri-nondefault-port-kept",
      "A non-default port is kept.",
      BSRC + " item 3", "http://example.com:8080/r", flags=["Port"],
      base_uri="http://example.com:8080/r", params="{OAUTH}"),
    V("uri-https-on-port-80-kept",
      "Port 80 is not the default for https and is kept.",
      BSRC + " item 3", "https://example.com:80/r", flags=["Port"],
      base_uri="https://example.com:80/r", params="{OAUTH}"),
    V("uri-http-on-port-443-kept",
      "Port 443 is not the default for http and is kept.",
      BSRC + " item 3", "http://example.com:443/r", flags=["Port"],
      base_uri="http://example.com:443/r", params="{OAUTH}"),
    V("uri-empty-path-is-slash",
      "An empty path becomes '/'.",
      BSRC + "; RFC 2616 §5.1.2", "https://example.com",
      base_uri="https://example.com/", params="{OAUTH}"),
    V("uri-empty-path-with-query",
      "An empty path before a query becomes '/'; the query is signed as "
      "parameters.",
      BSRC + "; RFC 2616 §5.1.2", "https://example.com?a=1",
      base_uri="https://example.com/", params="a=1&{OAUTH}"),
    V("uri-path-escapes-kept",
      "Escapes in the path (%20, %2F, %7E) are kept as sent, then encoded "
      "once more as part of the URI.",
      BSRC + " (example 'r%20v')", "https://example.com/r%20v/a%2Fb/%7Euser",
      flags=["PathKept"],
      base_uri="https://example.com/r%20v/a%2Fb/%7Euser", params="{OAUTH}"),
    V("uri-path-lowercase-escape-kept",
      "A lower-case escape in the path is not normalized.",
      BSRC, "https://example.com/a%2fb", flags=["PathKept"],
      base_uri="https://example.com/a%2fb", params="{OAUTH}"),
    V("uri-path-plus-kept",
      "'+' in the path is a plus sign, not a space.",
      BSRC, "https://example.com/a+b/c", flags=["PathKept"],
      base_uri="https://example.com/a+b/c", params="{OAUTH}"),
    V("uri-path-sub-delims-kept",
      "Sub-delimiters, ':' and '@' in the path are kept raw.",
      BSRC, "https://example.com/a!$&'()*+,;=:@b", flags=["PathKept"],
      base_uri="https://example.com/a!$&'()*+,;=:@b", params="{OAUTH}"),
    V("uri-path-utf8-escapes-kept",
      "UTF-8 escapes in the path are kept as sent.",
      BSRC, "https://example.com/caf%C3%A9/men%C3%BC", flags=["PathKept"],
      base_uri="https://example.com/caf%C3%A9/men%C3%BC", params="{OAUTH}"),
    V("uri-path-trailing-slash-kept",
      "A trailing slash is part of the path.",
      BSRC, "https://example.com/dir/", flags=["PathKept"],
      base_uri="https://example.com/dir/", params="{OAUTH}"),
    V("uri-query-and-fragment-dropped",
      "The base string URI has neither query nor fragment; the fragment is "
      "not a parameter.",
      BSRC, "https://example.com/p?a=1#b=2",
      base_uri="https://example.com/p", params="a=1&{OAUTH}"),
    V("uri-ipv6-host-lowercased",
      "An IPv6 literal keeps its brackets and is lower-cased.",
      BSRC + " item 1; RFC 3986 §3.2.2", "http://[2001:DB8::1]/p",
      flags=["Ipv6"], base_uri="http://[2001:db8::1]/p", params="{OAUTH}"),
    V("uri-ipv6-nondefault-port-kept",
      "An IPv6 literal with a non-default port keeps the port after the "
      "bracket.",
      BSRC + " item 3", "https://[2001:db8::1]:8443/p",
      flags=["Ipv6", "Port"],
      base_uri="https://[2001:db8::1]:8443/p", params="{OAUTH}"),
    V("uri-ipv6-default-port-removed",
      "An IPv6 literal with the default port loses the port.",
      BSRC + " item 3", "http://[::1]:80/", flags=["Ipv6", "Port"],
      base_uri="http://[::1]/", params="{OAUTH}"),
    V("uri-ipv4-host-port",
      "An IPv4 host with a non-default port.",
      BSRC + " item 3", "http://192.0.2.7:8080/p", flags=["Port"],
      base_uri="http://192.0.2.7:8080/p", params="{OAUTH}"),
    V("uri-userinfo-dropped",
      "User information is not part of the Host header and so not of the "
      "base string URI.",
      BSRC + " item 2 (host and port as in the Host header)",
      "https://user:pass@example.com/p",
      base_uri="https://example.com/p", params="{OAUTH}"),
]

S = "https://example.com/resource"
WIKI_RSA = dict(
    consumer_key="dpf43f3p2l4k3l03", consumer_secret=None, token=None,
    token_secret=None, rsa_private_key_pem=RSA_PKCS8,
    nonce="13917289812797014437", timestamp="1196666512")
WIKI_RSA_URL = "http://photos.example.net/photos?file=vacaction.jpg&size=original"
WIKI_RSA_PARAMS = ("file=vacaction.jpg&oauth_consumer_key=dpf43f3p2l4k3l03"
                   "&oauth_nonce=13917289812797014437&oauth_signature_method=%s"
                   "&oauth_timestamp=1196666512&oauth_version=1.0&size=original")
KEY_NOTE = ("The private key is the OAuth wiki's published RSA test key "
            "(vectors/keys/rsa-1024-private-pkcs8.pem).")

METHOD_FLAGS = {
    "PrintedSignature": "The expected signature is printed in the cited "
                        "source and is kept verbatim.",
    "Hmac": "An HMAC signature method.",
    "Rsa": "An RSA (RSASSA-PKCS1-v1_5) signature method.",
    "Plaintext": "The PLAINTEXT signature method.",
    "SecretEncoding": "Secrets that need percent-encoding before they are "
                      "joined into the key.",
    "TwoLegged": "No token: signed with client credentials only.",
    "Pkcs1Key": "The private key is given as a PKCS#1 'RSA PRIVATE KEY' "
                "PEM instead of PKCS#8.",
    "NotInRfc": "A method RFC 5849 does not define; the corpus follows the "
                "same construction with another hash.",
}

METHOD_CASES = [
    V("hmac-sha1-basic", "HMAC-SHA1 over a request with a query parameter.",
      RFC + " §3.4.2", S + "?x=1", flags=["Hmac"],
      base_uri=S, params="{OAUTH}&x=1"),
    V("hmac-sha256-basic",
      "HMAC-SHA256: the HMAC-SHA1 construction with SHA-256.",
      RFC + " §3.4.2 with SHA-256", S + "?x=1",
      signature_method="HMAC-SHA256", flags=["Hmac", "NotInRfc"],
      base_uri=S, params="{OAUTH}&x=1"),
    V("hmac-sha512-basic",
      "HMAC-SHA512: the HMAC-SHA1 construction with SHA-512.",
      RFC + " §3.4.2 with SHA-512", S + "?x=1",
      signature_method="HMAC-SHA512", flags=["Hmac", "NotInRfc"],
      base_uri=S, params="{OAUTH}&x=1"),
    V("hmac-sha1-empty-token-secret",
      "A token whose secret is empty: the key still ends with '&'.",
      RFC + " §3.4.2 ('&' MUST be included even when either secret is "
      "empty)", S, token_secret="", flags=["Hmac"],
      base_uri=S, params="{OAUTH}"),
    V("hmac-sha1-two-legged",
      "No token at all: key is the encoded client secret and '&'.",
      RFC + " §3.4.2", S, token=None, token_secret=None,
      flags=["Hmac", "TwoLegged"], base_uri=S, params="{OAUTH}"),
    V("hmac-sha1-empty-client-secret",
      "An empty client secret: the key starts with '&'.",
      RFC + " §3.4.2", S, consumer_secret="", flags=["Hmac"],
      base_uri=S, params="{OAUTH}"),
    V("hmac-sha1-secrets-need-encoding",
      "Both secrets are percent-encoded before they are joined with '&'.",
      RFC + " §3.4.2 (secrets encoded per §3.6)", S,
      consumer_secret="c s&=%é", token_secret="t~s+/",
      flags=["Hmac", "SecretEncoding"], base_uri=S, params="{OAUTH}",
      notes="Key: c%20s%26%3D%25%C3%A9&t~s%2B%2F."),
    V("hmac-sha256-secrets-need-encoding",
      "HMAC-SHA256 with secrets that need encoding.",
      RFC + " §3.4.2 with SHA-256", S, signature_method="HMAC-SHA256",
      consumer_secret="c s&=%é", token_secret="t~s+/",
      flags=["Hmac", "SecretEncoding", "NotInRfc"],
      base_uri=S, params="{OAUTH}"),
    V("plaintext-basic", "PLAINTEXT with both secrets.",
      RFC + " §3.4.4", "https://example.com/token", method="POST",
      signature_method="PLAINTEXT", flags=["Plaintext"],
      base_uri="https://example.com/token", params="{OAUTH}",
      notes="PLAINTEXT does not use the base string; it is given for "
            "implementations that compute one anyway."),
    V("plaintext-secrets-need-encoding",
      "PLAINTEXT encodes each secret, then joins them with '&'.",
      RFC + " §3.4.4", "https://example.com/token", method="POST",
      signature_method="PLAINTEXT", consumer_secret="kd94 hf93&k423=kf44",
      token_secret="pfkk%di9+sl3r4s00",
      flags=["Plaintext", "SecretEncoding"],
      base_uri="https://example.com/token", params="{OAUTH}"),
    V("plaintext-empty-token-secret",
      "PLAINTEXT with a token whose secret is empty ends with '&'.",
      RFC + " §3.4.4", "https://example.com/token", method="POST",
      signature_method="PLAINTEXT", token_secret="", flags=["Plaintext"],
      base_uri="https://example.com/token", params="{OAUTH}"),
    V("plaintext-no-token",
      "PLAINTEXT without a token (temporary credential request).",
      RFC + " §3.4.4", "https://example.com/initiate", method="POST",
      signature_method="PLAINTEXT", token=None, token_secret=None,
      extra_oauth=[["oauth_callback", "oob"]],
      flags=["Plaintext", "TwoLegged"],
      base_uri="https://example.com/initiate", params="{OAUTH}"),
    V("plaintext-non-ascii-secrets",
      "PLAINTEXT with non-ASCII secrets encodes their UTF-8 octets.",
      RFC + " §3.4.4, §3.6", "https://example.com/token", method="POST",
      signature_method="PLAINTEXT", consumer_secret="sécret",
      token_secret="tökén", flags=["Plaintext", "SecretEncoding"],
      base_uri="https://example.com/token", params="{OAUTH}"),
    V("rsa-sha1-oauth-wiki",
      "RSA-SHA1 with the OAuth wiki's published test key and request.",
      WIKI + " 'RSA-SHA1 (section 9.3)'; " + RFC + " §3.4.3",
      WIKI_RSA_URL, signature_method="RSA-SHA1", **WIKI_RSA,
      flags=["Rsa", "PrintedSignature", "TwoLegged"],
      base_uri="http://photos.example.net/photos",
      params=WIKI_RSA_PARAMS % "RSA-SHA1",
      signature="jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2"
                "/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+Rinh"
                "ejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=",
      notes=KEY_NOTE + " 'vacaction.jpg' is spelled so in the wiki's base "
            "string and is kept."),
    V("rsa-sha1-oauth-wiki-pkcs1-key",
      "The wiki RSA-SHA1 case with the same key as a PKCS#1 PEM.",
      WIKI + " 'RSA-SHA1 (section 9.3)'", WIKI_RSA_URL,
      signature_method="RSA-SHA1",
      **dict(WIKI_RSA, rsa_private_key_pem=RSA_PKCS1),
      flags=["Rsa", "PrintedSignature", "TwoLegged", "Pkcs1Key"],
      base_uri="http://photos.example.net/photos",
      params=WIKI_RSA_PARAMS % "RSA-SHA1",
      signature="jvTp/wX1TYtByB1m+Pbyo0lnCOLIsyGCH7wke8AUs3BpnwZJtAuEJkvQL2"
                "/9n4s5wUmUl4aCI4BwpraNx4RtEXMe5qg5T1LVTGliMRpKasKsW//e+Rinh"
                "ejgCuzoH26dyF8iY2ZZ/5D1ilgeijhV/vBka5twt399mXwaYdCwFYE=",
      notes="vectors/keys/rsa-1024-private-pkcs1.pem, derived from the "
            "wiki's PKCS#8 key with openssl."),
    V("rsa-sha256-oauth-wiki-request",
      "RSA-SHA256 (RSASSA-PKCS1-v1_5 with SHA-256) over the wiki's RSA "
      "request.",
      RFC + " §3.4.3 with SHA-256; request and key from " + WIKI,
      WIKI_RSA_URL, signature_method="RSA-SHA256", **WIKI_RSA,
      flags=["Rsa", "NotInRfc", "TwoLegged"],
      base_uri="http://photos.example.net/photos",
      params=WIKI_RSA_PARAMS % "RSA-SHA256",
      notes=KEY_NOTE + " The base string differs from the RSA-SHA1 case "
            "only in oauth_signature_method."),
    V("rsa-sha512-oauth-wiki-request",
      "RSA-SHA512 (RSASSA-PKCS1-v1_5 with SHA-512) over the wiki's RSA "
      "request.",
      RFC + " §3.4.3 with SHA-512; request and key from " + WIKI,
      WIKI_RSA_URL, signature_method="RSA-SHA512", **WIKI_RSA,
      flags=["Rsa", "NotInRfc", "TwoLegged"],
      base_uri="http://photos.example.net/photos",
      params=WIKI_RSA_PARAMS % "RSA-SHA512",
      notes=KEY_NOTE),
    V("rsa-sha1-with-token",
      "RSA-SHA1 with token credentials: the token secret plays no part.",
      RFC + " §3.4.3", "https://jira.example.com/rest/api/2/myself",
      signature_method="RSA-SHA1", consumer_secret=None,
      rsa_private_key_pem=RSA_PKCS8, token_secret=None, flags=["Rsa"],
      base_uri="https://jira.example.com/rest/api/2/myself",
      params="{OAUTH}", notes=KEY_NOTE),
]

U = "https://example.com/upload"
BODYHASH_SRC = ("OAuth Request Body Hash 1.0 (draft-eaton-oauth-bodyhash-00, "
                "https://datatracker.ietf.org/doc/draft-eaton-oauth-bodyhash/)")
JSON_BODY = '{"text":"Hello, world","tags":["a","b"]}'
FORMSRC = RFC + " §3.4.1.3.1 (entity-body conditions)"

BODY_FLAGS = {
    "FormBody": "The body is application/x-www-form-urlencoded and its "
                "parameters are signed.",
    "ContentType": "Checks how the content type decides whether the body "
                   "is signed.",
    "RawFormBody": "The form body is given as raw text in `body` under a "
                   "form content type instead of as decoded `form` pairs.",
    "NonFormBody": "A body that is not a form: it never contributes "
                   "parameters.",
    "BodyHash": "The request is signed with oauth_body_hash.",
    "BodyHashNotSha1": "oauth_body_hash with SHA-256 or SHA-512, matching "
                       "the signature method's hash; the draft defines only "
                       "SHA-1.",
    "StrictDecoding": "The form body holds a malformed escape or invalid "
                      "UTF-8; an implementation must refuse it.",
    "NonAscii": "The body holds non-ASCII text.",
}

BODY_CASES = [
    V("body-form-included",
      "Form body parameters are signed, repeats included.",
      FORMSRC, U, method="POST",
      form=[["title", "Hello World"], ["tag", "b"], ["tag", "a"]],
      flags=["FormBody"],
      base_uri=U, params="{OAUTH}&tag=a&tag=b&title=Hello%20World"),
    V("body-form-content-type-case-insensitive",
      "The form media type is matched without regard to case.",
      FORMSRC + "; RFC 7231 §3.1.1.1 (media types are case-insensitive)",
      U, method="POST", form=[["a", "1"]],
      content_type="Application/X-WWW-Form-URLEncoded",
      flags=["FormBody", "ContentType"], base_uri=U, params="a=1&{OAUTH}"),
    V("body-form-content-type-charset",
      "A charset parameter on the form content type does not stop the body "
      "from being signed.",
      FORMSRC + "; RFC 7231 §3.1.1.1", U, method="POST",
      form=[["a", "é"]],
      content_type="application/x-www-form-urlencoded; charset=utf-8",
      flags=["FormBody", "ContentType", "NonAscii"],
      base_uri=U, params="a=%C3%A9&{OAUTH}"),
    V("body-form-content-type-charset-no-space",
      "The charset parameter may follow ';' without a space and in upper "
      "case.",
      FORMSRC + "; RFC 7231 §3.1.1.1", U, method="POST",
      form=[["a", "1"]],
      content_type="application/x-www-form-urlencoded;charset=UTF-8",
      flags=["FormBody", "ContentType"], base_uri=U, params="a=1&{OAUTH}"),
    V("body-raw-form-decoding",
      "A raw form body is decoded like a query: '+' is a space, %2B a '+', "
      "a lone name has an empty value.",
      FORMSRC, U, method="POST", body="a=1+2&b=%2B&c",
      content_type=FORM_TYPE, flags=["FormBody", "RawFormBody"],
      base_uri=U, params="a=1%202&b=%2B&c=&{OAUTH}"),
    V("body-json-not-included",
      "A JSON body contributes no parameters.",
      FORMSRC, U, method="POST", body='{"a":"1","b":"x y"}',
      content_type="application/json", flags=["NonFormBody", "ContentType"],
      base_uri=U, params="{OAUTH}"),
    V("body-text-plain-not-included",
      "A text/plain body that looks like a form is still not signed.",
      FORMSRC, U, method="POST", body="a=1&b=2", content_type="text/plain",
      flags=["NonFormBody", "ContentType"], base_uri=U, params="{OAUTH}"),
    V("body-multipart-not-included",
      "A multipart/form-data body is not single-part and not signed.",
      FORMSRC + " (the entity-body must be single-part)", U, method="POST",
      body='--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
           '--XyZ--\r\n',
      content_type="multipart/form-data; boundary=XyZ",
      flags=["NonFormBody", "ContentType"], base_uri=U, params="{OAUTH}"),
    V("body-json-query-still-signed",
      "With a JSON body the query parameters are still signed.",
      FORMSRC, U + "?a=1", method="PUT", body='{"a":"2"}',
      content_type="application/json", flags=["NonFormBody"],
      base_uri=U, params="a=1&{OAUTH}"),
    V("body-hash-json-sha1",
      "oauth_body_hash (SHA-1) over a JSON body with HMAC-SHA1.",
      BODYHASH_SRC + " §3.1-3.2", U, method="POST", body=JSON_BODY,
      content_type="application/json", body_hash=True,
      flags=["NonFormBody", "BodyHash"], base_uri=U,
      params="oauth_body_hash={BODY_HASH}&oauth_consumer_key=vector-client"
             "&oauth_nonce=n0nce&oauth_signature_method=HMAC-SHA1"
             "&oauth_timestamp=1700000000&oauth_token=vector-token"
             "&oauth_version=1.0"),
    V("body-hash-json-sha256",
      "oauth_body_hash with SHA-256 for HMAC-SHA256.",
      BODYHASH_SRC + ", with the signature method's hash", U, method="POST",
      body=JSON_BODY, content_type="application/json", body_hash=True,
      signature_method="HMAC-SHA256",
      flags=["NonFormBody", "BodyHash", "BodyHashNotSha1"], base_uri=U,
      params="oauth_body_hash={BODY_HASH}&oauth_consumer_key=vector-client"
             "&oauth_nonce=n0nce&oauth_signature_method=HMAC-SHA256"
             "&oauth_timestamp=1700000000&oauth_token=vector-token"
             "&oauth_version=1.0"),
    V("body-hash-json-sha512",
      "oauth_body_hash with SHA-512 for HMAC-SHA512.",
      BODYHASH_SRC + ", with the signature method's hash", U, method="POST",
      body=JSON_BODY, content_type="application/json", body_hash=True,
      signature_method="HMAC-SHA512",
      flags=["NonFormBody", "BodyHash", "BodyHashNotSha1"], base_uri=U,
      params="oauth_body_hash={BODY_HASH}&oauth_consumer_key=vector-client"
             "&oauth_nonce=n0nce&oauth_signature_method=HMAC-SHA512"
             "&oauth_timestamp=1700000000&oauth_token=vector-token"
             "&oauth_version=1.0"),
    V("body-hash-rsa-sha256-two-legged",
      "RSA-SHA256 with a SHA-256 body hash and no token, as in "
      "Mastercard-style APIs.",
      BODYHASH_SRC + ", with the signature method's hash; " + RFC
      + " §3.4.3 with SHA-256", U + "?format=json", method="POST",
      body=JSON_BODY, content_type="application/json; charset=utf-8",
      body_hash=True, signature_method="RSA-SHA256", consumer_secret=None,
      token=None, token_secret=None, rsa_private_key_pem=RSA_PKCS8,
      flags=["NonFormBody", "BodyHash", "BodyHashNotSha1"], base_uri=U,
      params="format=json&oauth_body_hash={BODY_HASH}"
             "&oauth_consumer_key=vector-client&oauth_nonce=n0nce"
             "&oauth_signature_method=RSA-SHA256&oauth_timestamp=1700000000"
             "&oauth_version=1.0", notes=KEY_NOTE),
    V("body-hash-empty-get-sha1",
      "A GET without a body hashes the empty string "
      "(2jmj7l5rSw0yVb/vlWAYkK/YBwk=).",
      BODYHASH_SRC + " §3.2 (an absent body is hashed as empty)",
      "https://example.com/resource?a=1", body_hash=True,
      flags=["BodyHash"], base_uri="https://example.com/resource",
      params="a=1&oauth_body_hash=2jmj7l5rSw0yVb%2FvlWAYkK%2FYBwk%3D"
             "&oauth_consumer_key=vector-client&oauth_nonce=n0nce"
             "&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1700000000"
             "&oauth_token=vector-token&oauth_version=1.0"),
    V("body-hash-empty-get-sha256",
      "A GET without a body with HMAC-SHA256 hashes the empty string with "
      "SHA-256 (47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=).",
      BODYHASH_SRC + ", with the signature method's hash",
      "https://example.com/resource", body_hash=True,
      signature_method="HMAC-SHA256", flags=["BodyHash", "BodyHashNotSha1"],
      base_uri="https://example.com/resource",
      params="oauth_body_hash=47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3h"
             "SuFU%3D&oauth_consumer_key=vector-client&oauth_nonce=n0nce"
             "&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000"
             "&oauth_token=vector-token&oauth_version=1.0"),
    V("body-hash-never-on-form-body",
      "With a form body no oauth_body_hash is sent even when body hashing "
      "is asked for; the form parameters are signed instead.",
      BODYHASH_SRC + " §4.1.1 (MUST NOT include oauth_body_hash on "
      "form-encoded bodies)", U, method="POST", form=[["a", "1"]],
      body_hash=True, flags=["FormBody", "BodyHash"],
      base_uri=U, params="a=1&{OAUTH}"),
    V("body-hash-plaintext-sha1",
      "PLAINTEXT with a body hash uses SHA-1.",
      BODYHASH_SRC, U, method="POST", body=JSON_BODY,
      content_type="application/json", body_hash=True,
      signature_method="PLAINTEXT", flags=["NonFormBody", "BodyHash"],
      base_uri=U,
      params="oauth_body_hash={BODY_HASH}&oauth_consumer_key=vector-client"
             "&oauth_nonce=n0nce&oauth_signature_method=PLAINTEXT"
             "&oauth_timestamp=1700000000&oauth_token=vector-token"
             "&oauth_version=1.0",
      notes="The draft does not recommend body hashing with PLAINTEXT; if "
            "it is done, SHA-1 is used."),
    V("body-hash-non-ascii-json",
      "The body hash covers the UTF-8 octets of a non-ASCII body.",
      BODYHASH_SRC, U, method="POST", body='{"name":"Zoë","price":"5€"}',
      content_type="application/json", body_hash=True,
      flags=["NonFormBody", "BodyHash", "NonAscii"], base_uri=U,
      params="oauth_body_hash={BODY_HASH}&oauth_consumer_key=vector-client"
             "&oauth_nonce=n0nce&oauth_signature_method=HMAC-SHA1"
             "&oauth_timestamp=1700000000&oauth_token=vector-token"
             "&oauth_version=1.0"),
    V("body-invalid-form-escape",
      "A form body with a malformed escape (%G1) is refused.",
      FORMSRC + "; RFC 3986 §2.1", U, method="POST", body="a=%G1",
      content_type=FORM_TYPE, flags=["RawFormBody", "StrictDecoding"],
      result="invalid", error="malformed percent-escape in the form body"),
    V("body-invalid-form-truncated-escape",
      "A form body ending in a bare % is refused.",
      FORMSRC + "; RFC 3986 §2.1", U, method="POST", body="a=1&b=%",
      content_type=FORM_TYPE, flags=["RawFormBody", "StrictDecoding"],
      result="invalid", error="bare % in the form body"),
    V("body-invalid-form-utf8",
      "A form body whose escapes decode to invalid UTF-8 (%FF) is refused.",
      FORMSRC + "; RFC 3629", U, method="POST", body="a=%FF",
      content_type=FORM_TYPE,
      flags=["RawFormBody", "StrictDecoding", "NonAscii"],
      result="invalid", error="invalid UTF-8 in the form body"),
]

# Flags used by several files mean the same everywhere: one text each.
SHARED_FLAGS = {
    "PrintedSignature": "The expected signature is printed in the cited "
                        "source and is kept verbatim.",
    "PrintedBaseString": "The expected base string is printed in the cited "
                         "source and is kept verbatim.",
    "NoVersion": "The request carries no oauth_version parameter.",
    "RawFormBody": "The form body is given as raw text in `body` under a "
                   "form content type instead of as decoded `form` pairs.",
    "FormBody": "The request has an application/x-www-form-urlencoded body "
                "whose parameters are signed.",
    "TwoLegged": "No token: the request is signed with client credentials "
                 "only.",
    "Plaintext": "The PLAINTEXT signature method.",
    "NonAscii": "Names, values, secrets or bodies outside US-ASCII, encoded "
                "as UTF-8 octets.",
    "StrictDecoding": "The input holds a malformed percent-escape or escapes "
                      "that decode to invalid UTF-8; an implementation must "
                      "refuse it rather than guess.",
    "Wiki": "Taken from the OAuth wiki TestCases page (the table named in "
            "the source).",
}

for _table in (RFC_FLAGS, COMMUNITY_FLAGS, PROVIDER_FLAGS, ENCODING_FLAGS,
               PARAMETER_FLAGS, URI_FLAGS, METHOD_FLAGS, BODY_FLAGS):
    for _name in _table:
        if _name in SHARED_FLAGS:
            _table[_name] = SHARED_FLAGS[_name]

FILES = [
    ("rfc5849-examples.json", "RFC 5849 examples",
     "Every request of RFC 5849 that can be signed from what the RFC "
     "prints: the three requests of §1.2, the §3.1/§3.4.1.1 request (with "
     "the signature of verified erratum EID 2550) and the two base string "
     "URI examples of §3.4.1.2.", RFC_FLAGS, RFC_CASES),
    ("community-examples.json", "OAuth Core 1.0 and OAuth wiki examples",
     "The photos.example.net walkthrough of OAuth Core 1.0 Appendix A, "
     "whose values the OAuth wiki TestCases page repeats.",
     COMMUNITY_FLAGS, COMMUNITY_CASES),
    ("providers.json", "Public provider examples",
     "Signing examples printed in providers' developer documentation.",
     PROVIDER_FLAGS, PROVIDER_CASES),
    ("encoding.json", "Percent-encoding",
     "RFC 5849 §3.6 percent-encoding of names and values, strict decoding "
     "of the URL query, and inputs that must be refused.",
     ENCODING_FLAGS, ENCODING_CASES),
    ("parameters.json", "Request parameters",
     "Collecting parameters from the query, the form body and the protocol "
     "parameters (§3.4.1.3.1) and normalizing them (§3.4.1.3.2).",
     PARAMETER_FLAGS, PARAMETER_CASES),
    ("base-string-uri.json", "Base string URI and method",
     "The method and the base string URI of §3.4.1.1-3.4.1.2: case, "
     "default ports, paths kept as sent, IPv6 hosts.",
     URI_FLAGS, URI_CASES),
    ("signature-methods.json", "Signature methods",
     "HMAC-SHA1/256/512, RSA-SHA1/256/512 and PLAINTEXT, including key "
     "construction from secrets that need encoding.",
     METHOD_FLAGS, METHOD_CASES),
    ("body.json", "Request bodies and body hash",
     "Which bodies take part in the signature (form vs. other content "
     "types) and the oauth_body_hash extension.", BODY_FLAGS, BODY_CASES),
]


# --------------------------------------------------------------------------
# Building, checking and writing.

class Stop(Exception):
    pass


def ordered_input(inp):
    out = {}
    for key in INPUT_ORDER:
        if key in inp:
            out[key] = inp[key]
    extra = set(inp) - set(INPUT_ORDER)
    if extra:
        raise Stop("unknown input fields %s" % sorted(extra))
    return out


def build_vector(case, oracle, confirmations, report):
    inp = ordered_input(case["input"])
    vid = case["id"]
    vector = {
        "id": vid, "description": case["description"],
        "source": case["source"], "flags": case["flags"], "input": inp,
    }
    notes = [case["notes"]] if case["notes"] else []
    if case["result"] == "invalid":
        try:
            model_base_string(inp)
        except Malformed:
            pass
        else:
            raise Stop("%s: the reference model accepts an input marked "
                       "invalid" % vid)
        expected = {"error": case["error"]}
    else:
        base_string = expand(case)
        model = model_base_string(inp)
        if model != base_string:
            raise Stop("%s: hand-written base string and reference model "
                       "differ\n  written: %s\n  model:   %s"
                       % (vid, base_string, model))
        signature = compute_signature(inp, base_string)
        printed = case["printed_signature"]
        if printed is not None and printed != signature:
            raise Stop("%s: the source prints %s but the rule gives %s; "
                       "stop and report, do not edit the source value"
                       % (vid, printed, signature))
        params = protocol_params(inp)
        expected = {
            "base_string": base_string,
            "signature": signature,
            "authorization": authorization_header(inp, params, signature),
        }
        realm, parsed = parse_authorization(expected["authorization"])
        assert realm == inp["realm"]
        assert parsed == sorted(params + [("oauth_signature", signature)])
    vector["expected"] = expected
    vector["result"] = case["result"]
    confirmed, problems, limits = oracle.check(inp, case["result"], expected)
    peers, confirmation_note = confirmations.of(vid, case["result"], confirmed)
    vector["confirmed_by"] = peers
    if confirmation_note:
        vector["confirmation_note"] = confirmation_note
    if problems:
        notes.append("python3-oauthlib %s disagrees: %s."
                     % (oracle.version, "; ".join(problems)))
    notes.extend("%s%s." % (limit[0].upper(), limit[1:]) for limit in limits)
    report.append((vid, confirmed, problems + limits))
    if notes:
        vector["notes"] = " ".join(notes)
    return vector


def build_file(name, title, description, flags, cases, oracle, confirmations,
               report):
    vectors = []
    for case in cases:
        for flag in case["flags"]:
            if flag not in flags:
                raise Stop("%s: flag %s is not defined in %s"
                           % (case["id"], flag, name))
        vectors.append(build_vector(case, oracle, confirmations, report))
    used = {f for case in cases for f in case["flags"]}
    unused = set(flags) - used
    if unused:
        raise Stop("%s defines unused flags %s" % (name, sorted(unused)))
    return {
        "$schema": "./schema.json",
        "title": title,
        "description": description,
        "kind": "sign",
        "flags": flags,
        "vectors": vectors,
    }


def render(value, indent=0):
    """JSON with short arrays of scalars kept on one line."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ["%s%s: %s" % (inner, json.dumps(k, ensure_ascii=False),
                               render(v, indent + 1))
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(not isinstance(v, (dict, list)) for v in value):
            return json.dumps(value, ensure_ascii=False)
        items = [inner + render(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def validate(documents):
    try:
        import jsonschema
    except ImportError:
        print("note: python3-jsonschema is not installed; schema check "
              "skipped (apt-get install -y python3-jsonschema)")
        return
    with open(os.path.join(VECTORS, "schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name, document in documents.items():
        errors = sorted(validator.iter_errors(document), key=str)
        if errors:
            raise Stop("%s does not match schema.json: %s"
                       % (name, errors[0].message))


def main(argv):
    check_only = "--check" in argv
    oracle = Oracle()
    record = load_peer_results()
    confirmations = Confirmations(record)
    report, documents, texts = [], {}, {}
    seen = set()
    for name, title, description, flags, cases in FILES:
        for case in cases:
            if case["id"] in seen:
                raise Stop("duplicate id " + case["id"])
            seen.add(case["id"])
        document = build_file(name, title, description, flags, cases,
                              oracle, confirmations, report)
        documents[name] = document
        texts[name] = render(document) + "\n"
    confirmations.finish(seen)
    validate(documents)

    stale = []
    for name, text in texts.items():
        path = os.path.join(VECTORS, name)
        current = None
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                current = fh.read()
        if current != text:
            stale.append(name)
            if not check_only:
                with open(path, "w", encoding="utf-8") as fh:
                    fh.write(text)

    total = len(report)
    confirmed = sum(1 for _, ok, _ in report if ok)
    for name, document in documents.items():
        print("%-26s %3d vectors" % (name, len(document["vectors"])))
    print("%d vectors, %d confirmed by python3-oauthlib %s"
          % (total, confirmed, oracle.version))
    vectors = [v for d in documents.values() for v in d["vectors"]]
    few = [v for v in vectors if len(v["confirmed_by"]) < MIN_CONFIRMATIONS]
    print("%d vectors confirmed by at least %d of the %d peers (record of %s),"
          " %d by fewer:" % (len(vectors) - len(few), MIN_CONFIRMATIONS,
                             len(PEER_NAMES), record.get("recorded"),
                             len(few)))
    for v in few:
        print("  %d: %s" % (len(v["confirmed_by"]), v["id"]))
    for vid, ok, problems in report:
        if not ok:
            print("  not confirmed: %s: %s" % (
                vid, "; ".join(problems) or "no oauthlib path applies"))
    if check_only and stale:
        print("out of date: %s (run generate.py)" % ", ".join(stale))
        return 1
    if not check_only and stale:
        print("wrote %s" % ", ".join(stale))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Stop as exc:
        print("generate.py: " + str(exc), file=sys.stderr)
        sys.exit(2)
