#!/usr/bin/python3
"""Generate the OAuth 1.0 verification test vectors in ../verify-*.json.

Run with Debian's interpreter, which has python3-oauthlib 3.2.2:

    /usr/bin/python3 vectors/generate/generate_verify.py          # write the files
    /usr/bin/python3 vectors/generate/generate_verify.py --check  # compare, write nothing

A verification vector is a server (the credentials it knows, once per file),
a server policy, a list of HTTP requests sent in order to one fresh server,
and the answer expected for each request (see ../README.md, "Verification
vectors").  How the values come about (see README.md beside this file):

* Every request is signed here, by a client written in Python: the
  signature base string is built by the helpers of generate.py (RFC 5849
  §3.4.1), signed with hmac/hashlib, with ``openssl dgst -sign`` for RSA, or
  by joining the encoded secrets for PLAINTEXT, and then changed as the case
  says (a tampered query, a wrong secret, a repeated parameter...).  Before
  any change, python3-oauthlib's signature functions recompute the base
  string and the signature of every signed request; the generator stops if
  they differ.
* The expected answers (status and problem code) are written by hand in the
  cases below, from RFC 5849 §3.2 and the OAuth Problem Reporting extension.
* A small server-side model re-checks each case: a request expected to be
  accepted must carry a signature (and body hash) that verifies; a request
  expected to fail with ``signature_invalid`` must carry one that does not;
  any other refusal must carry a valid signature wherever the model can
  check one, so that each vector has exactly one fault.
* Every vector is then run through python3-oauthlib's own verification
  endpoints (ResourceEndpoint, SignatureOnlyEndpoint) with a RequestValidator
  that knows the file's server and the vector's policy.  A vector lists
  "python3-oauthlib" in ``confirmed_by`` when oauthlib accepts and refuses
  exactly the requests the expectation accepts and refuses; oauthlib only
  answers yes or no, so statuses and problem codes are not compared.
* PECL oauth's OAuthProvider, the only other verifier among the five
  implementations the corpus is run through, is counted the same way from
  peer-results.json (record_peers.mjs sends every request to
  test/interop/pecl_provider.php); ``confirmation_note`` says why no vector
  reaches three confirmations and why a verifier disagrees.

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
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ inside vectors/

import generate as G  # noqa: E402  (the signing generator's helpers)

VECTORS = G.VECTORS
ORACLE = G.ORACLE
pe = G.pe
Stop = G.Stop

RSA_PUBLIC = G.read_key("rsa-1024-public-spki.pem")
FORM = G.FORM_TYPE
JSON_TYPE = "application/json"

# --------------------------------------------------------------------------
# The server every verification file describes.

SERVER = {
    "clients": {
        "main-client": {"secret": "main-client-secret"},
        "rsa-client": {"rsa_public_key_pem": RSA_PUBLIC},
        "sha256-client": {"secret": "sha256-client-secret",
                          "signature_methods": ["HMAC-SHA256"]},
        "other-client": {"secret": "other-client-secret"},
        "encoded-client": {"secret": "s&cr=t \u00fc+%"},
    },
    "tokens": {
        "main-token": {"secret": "main-token-secret", "revoked": False},
        "other-token": {"secret": "other-token-secret", "revoked": False},
        "revoked-token": {"secret": "revoked-token-secret", "revoked": True},
        "encoded-token": {"secret": "t&k n=\u20ac", "revoked": False},
    },
}

NOW = 1700000000
DEFAULT_METHODS = ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512",
                   "RSA-SHA1", "RSA-SHA256", "RSA-SHA512"]
ALL_METHODS = DEFAULT_METHODS + ["PLAINTEXT"]


def policy(now=NOW, signature_methods=None, past=300, future=300,
           token_required=True, allow_plaintext_over_http=False,
           require_body_hash=False):
    return {
        "now": now,
        "signature_methods": list(signature_methods or DEFAULT_METHODS),
        "timestamp_window": {"past": past, "future": future},
        "token_required": token_required,
        "allow_plaintext_over_http": allow_plaintext_over_http,
        "require_body_hash": require_body_hash,
    }


# --------------------------------------------------------------------------
# The client: builds and signs one HTTP request.

R = "https://api.example.com/v1/items?page=2&sort=name"
U = "https://api.example.com/v1/items"
NONCE = "vn0nce-a1"
_MISSING = object()


def base_string_uri(url):
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname
    if ":" in host:
        host = "[" + host + "]"
    port = parts.port
    if port is None or (scheme, port) in (("http", 80), ("https", 443)):
        authority = host
    else:
        authority = "%s:%d" % (host, port)
    return "%s://%s%s" % (scheme, authority, parts.path or "/")


def body_hash_of(body, method):
    digest = hashlib.new(G.body_hash_algorithm(method))
    digest.update((body or "").encode("utf-8"))
    return base64.b64encode(digest.digest()).decode("ascii")


def make_signature(method, base_string, client_secret, token_secret, rsa_key,
                   key=None):
    if key is None:
        key = pe(client_secret or "") + "&" + pe(token_secret or "")
    if method == "PLAINTEXT":
        return key
    name = method.split("-", 1)[1]
    digest = {"SHA1": "sha1", "SHA256": "sha256", "SHA512": "sha512",
              "MD5": "md5"}[name]
    if method.startswith("HMAC-"):
        mac = hmac.new(key.encode("utf-8"), base_string.encode("ascii"),
                       getattr(hashlib, digest))
        return base64.b64encode(mac.digest()).decode("ascii")
    return G.openssl_sign(digest, base_string, rsa_key)


def encode_pairs(pairs):
    return "&".join(pe(n) + "=" + pe(v) for n, v in pairs)


def auth_header(pairs, realm=None):
    items = []
    if realm is not None:
        items.append('realm="%s"' % realm)
    items += ['%s="%s"' % (pe(n), pe(v)) for n, v in pairs]
    return "OAuth " + ", ".join(items)


def signed(method="GET", url=R, form=None, body=None, content_type=None,
           client="main-client", token="main-token",
           signature_method="HMAC-SHA1", nonce=NONCE, timestamp=NOW,
           version="1.0", realm=None, extra=(), body_hash=False,
           placement="header", client_secret=_MISSING,
           token_secret=_MISSING, sign_with=None, omit=(), raw_key=None):
    """A request signed as a correct client would sign it.

    ``client_secret`` / ``token_secret`` override the secrets the server
    knows (wrong-secret cases); ``sign_with`` signs with another method than
    the one announced; ``raw_key`` is an HMAC key used as it is (a client
    that built the key wrongly); ``omit`` leaves protocol parameters out
    before signing (the signature then covers what is sent)."""
    known = SERVER["clients"].get(client, {})
    if client_secret is _MISSING:
        client_secret = known.get("secret", "")
    if token_secret is _MISSING:
        token_secret = (SERVER["tokens"][token]["secret"]
                        if token in SERVER["tokens"] else "")
    oauth = [("oauth_consumer_key", client)]
    if token is not None:
        oauth.append(("oauth_token", token))
    oauth.append(("oauth_signature_method", signature_method))
    if timestamp is not None:
        oauth.append(("oauth_timestamp", str(timestamp)))
    if nonce is not None:
        oauth.append(("oauth_nonce", nonce))
    if version is not None:
        oauth.append(("oauth_version", version))
    oauth += [tuple(p) for p in extra]

    headers = []
    text = None
    form_pairs = []
    if form is not None:
        form_pairs = [tuple(p) for p in form]
        text = encode_pairs(form_pairs)
        content_type = content_type or FORM
    elif body is not None:
        text = body
        assert content_type is not None
    if body_hash is True:
        oauth.append(("oauth_body_hash", body_hash_of(text, signature_method)))
    elif isinstance(body_hash, str):
        oauth.append(("oauth_body_hash", body_hash))
    oauth = [p for p in oauth if p[0] not in omit]

    query = urllib.parse.urlsplit(url).query
    pairs = G.form_parse(query) + form_pairs + oauth
    base_string = G.compose(method, base_string_uri(url), G.normalize(pairs))
    sig = make_signature(sign_with or signature_method, base_string,
                         client_secret, token_secret, G.RSA_PKCS8, raw_key)
    everything = oauth + [("oauth_signature", sig)]

    if placement == "header":
        headers.append(["Authorization", auth_header(everything, realm)])
    elif placement == "query":
        sep = "" if url.endswith("?") else ("&" if "?" in url else "?")
        url = url + sep + encode_pairs(everything)
    elif placement == "body":
        assert form is not None, "body placement needs a form body"
        text = (text + "&" if text else "") + encode_pairs(everything)
    else:
        raise ValueError(placement)
    if content_type is not None:
        headers.append(["Content-Type", content_type])
    request = {"method": method, "url": url, "headers": headers,
               "body": text, "signed_base_string": base_string}
    names = [n for n, _ in oauth]
    if raw_key is None and len(names) == len(set(names)):
        # (oauthlib's collect_parameters keeps one of two header parameters
        # with the same name, so requests with repeats are not compared.)
        crosscheck_signing(request, base_string, sig,
                           sign_with or signature_method, client_secret,
                           token_secret)
    return request


def changed(request, **fields):
    """A copy of a request with some fields replaced."""
    out = json.loads(json.dumps(request))
    out.update(fields)
    return out


def header_edit(request, old, new, count=1):
    out = changed(request)
    for pair in out["headers"]:
        if pair[0] == "Authorization":
            assert old in pair[1], (old, pair[1])
            pair[1] = pair[1].replace(old, new, count)
            return out
    raise AssertionError("no Authorization header")


def set_header_param(request, name, value):
    """A copy whose Authorization header has ``name`` set to ``value`` (as
    written, already encoded), or removed when ``value`` is None."""
    out = changed(request)
    for pair in out["headers"]:
        if pair[0] == "Authorization":
            pattern = re.compile(r'(,\s*)?\b%s="[^"]*"' % re.escape(name))
            assert len(pattern.findall(pair[1])) == 1, (name, pair[1])
            if value is None:
                pair[1] = pattern.sub("", pair[1])
            else:
                pair[1] = pattern.sub(
                    lambda m: (m.group(1) or "") + '%s="%s"' % (name, value),
                    pair[1])
            return out
    raise AssertionError("no Authorization header")


def header_value(request):
    for name, value in request["headers"]:
        if name == "Authorization":
            return value
    return None


def plain(method, url, headers=(), body=None):
    """A request that no client signed (no OAuth, or hand-made)."""
    return {"method": method, "url": url,
            "headers": [list(h) for h in headers], "body": body}


# --------------------------------------------------------------------------
# Cross-check of the client with python3-oauthlib's signature functions.

class _Client:
    def __init__(self, client_secret, token_secret, rsa_key):
        self.client_secret = client_secret
        self.resource_owner_secret = token_secret
        self.rsa_key = rsa_key


def crosscheck_signing(request, base_string, sig, method, client_secret,
                       token_secret):
    from oauthlib.oauth1.rfc5849 import signature as S
    if method not in ALL_METHODS:
        return
    headers = {n: v for n, v in request["headers"]}
    ctype = headers.get("Content-Type", "")
    body = request["body"] if G.is_form_type(ctype) else None
    parts = urllib.parse.urlsplit(request["url"])
    auth = {"Authorization": headers["Authorization"]} if "Authorization" in headers else {}
    params = S.collect_parameters(uri_query=parts.query, body=body,
                                  headers=auth)
    theirs = S.signature_base_string(
        request["method"], S.base_string_uri(request["url"]),
        S.normalize_parameters(params))
    if theirs != base_string:
        raise Stop("oauthlib computes another base string for a request we "
                   "signed\n  ours:   %s\n  theirs: %s" % (base_string, theirs))
    client = _Client(client_secret, token_secret, G.RSA_PKCS8)
    table = {
        "HMAC-SHA1": S.sign_hmac_sha1_with_client,
        "HMAC-SHA256": S.sign_hmac_sha256_with_client,
        "HMAC-SHA512": S.sign_hmac_sha512_with_client,
        "RSA-SHA1": S.sign_rsa_sha1_with_client,
        "RSA-SHA256": S.sign_rsa_sha256_with_client,
        "RSA-SHA512": S.sign_rsa_sha512_with_client,
        "PLAINTEXT": lambda bs, c: S.sign_plaintext(c.client_secret,
                                                    c.resource_owner_secret),
    }
    if table[method](base_string, client) != sig:
        raise Stop("oauthlib computes another %s signature over %s"
                   % (method, base_string))


# --------------------------------------------------------------------------
# A small server-side model, used only to check that each case has the one
# fault it claims.  It returns None where it cannot tell.

HEADER_ITEM = re.compile(
    r'[ \t]*([^\s=,"]+)[ \t]*=[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*(,|$)')
HEADER_SCHEME = re.compile(r"oauth[ \t]+", re.IGNORECASE)
QUOTED_PAIR = re.compile(r"\\(.)")


def strict_pct(text):
    raw = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "%":
            pair = text[i + 1:i + 3]
            if len(pair) != 2 or any(c not in G.HEX for c in pair):
                raise G.Malformed("bad escape")
            raw.append(int(pair, 16))
            i += 3
        else:
            raw.extend(text[i].encode("utf-8"))
            i += 1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise G.Malformed("bad utf-8") from exc


def parse_header(value):
    # RFC 2617 auth-param syntax: the scheme is case-insensitive; spaces
    # and tabs may surround "=" and ","; a quoted-string may hold commas
    # and quoted-pairs (backslash escapes).
    scheme = HEADER_SCHEME.match(value or "")
    if scheme is None:
        return None
    rest = value[scheme.end():]
    items, pos = [], 0
    while pos < len(rest):
        m = HEADER_ITEM.match(rest, pos)
        if not m or m.end() == pos:
            return None
        items.append((m.group(1), m.group(2)))
        pos = m.end()
    out = []
    for name, raw in items:
        if name == "realm":
            continue
        out.append((strict_pct(name), strict_pct(QUOTED_PAIR.sub(r"\1", raw))))
    return out


def model_check(request):
    """(signature_ok, body_hash_ok) as a careful server would find them, or
    None for a part it cannot check (unknown client or token, unknown
    method, malformed input)."""
    try:
        headers = {n.lower(): v for n, v in request["headers"]}
        header = parse_header(headers.get("authorization"))
        header = header or []
        parts = urllib.parse.urlsplit(request["url"])
        query = G.form_parse(parts.query)
        form = []
        if request["body"] is not None and G.is_form_type(headers.get("content-type", "")):
            form = G.form_parse(request["body"])
    except G.Malformed:
        return None, None
    everything = query + form + header
    oauth = {}
    for n, v in everything:
        if n.startswith("oauth_"):
            oauth.setdefault(n, v)
    method = oauth.get("oauth_signature_method")
    client = SERVER["clients"].get(oauth.get("oauth_consumer_key"))
    token_key = oauth.get("oauth_token")
    if client is None or method not in ALL_METHODS or "oauth_signature" not in oauth:
        sig_ok = None
    elif token_key is not None and token_key not in SERVER["tokens"]:
        sig_ok = None
    else:
        token_secret = SERVER["tokens"][token_key]["secret"] if token_key else ""
        pairs = [p for p in everything if p[0] != "oauth_signature"]
        bs = G.compose(request["method"], base_string_uri(request["url"]),
                       G.normalize(pairs))
        sig = oauth["oauth_signature"]
        if method.startswith("RSA-"):
            if "rsa_public_key_pem" not in client:
                sig_ok = None
            else:
                sig_ok = openssl_verify(method, bs, sig, client["rsa_public_key_pem"])
        elif "secret" not in client:
            sig_ok = None
        else:
            sig_ok = hmac.compare_digest(
                make_signature(method, bs, client["secret"], token_secret, None), sig)
    hash_ok = None
    if "oauth_body_hash" in oauth and method in ALL_METHODS:
        hash_ok = body_hash_of(request["body"], method) == oauth["oauth_body_hash"]
    return sig_ok, hash_ok


def openssl_verify(method, base_string, sig, pem):
    digest = method.split("-", 1)[1].lower()
    with tempfile.TemporaryDirectory() as tmp:
        key = os.path.join(tmp, "key.pem")
        sig_file = os.path.join(tmp, "sig")
        with open(key, "w", encoding="ascii") as fh:
            fh.write(pem)
        try:
            raw = base64.b64decode(sig, validate=True)
        except ValueError:
            return False
        with open(sig_file, "wb") as fh:
            fh.write(raw)
        out = subprocess.run(
            ["openssl", "dgst", "-" + digest, "-verify", key, "-signature",
             sig_file], input=base_string.encode("ascii"), capture_output=True)
        return out.returncode == 0


# --------------------------------------------------------------------------
# python3-oauthlib as an independent verifier.

def printable(value):
    return bool(value) and len(value) <= 200 and all(
        0x21 <= ord(c) <= 0x7e for c in value)


class Oracle:
    """Runs a vector's requests through oauthlib's verification endpoints,
    with one RequestValidator per vector (one fresh server)."""

    def __init__(self):
        import oauthlib
        from oauthlib.oauth1 import (InsecureTransportError,
                                     RequestValidator, ResourceEndpoint,
                                     SignatureOnlyEndpoint)
        from oauthlib.oauth1.rfc5849.endpoints import base as endpoint_base
        self.version = oauthlib.__version__
        self.base = endpoint_base
        self.RequestValidator = RequestValidator
        self.ResourceEndpoint = ResourceEndpoint
        self.SignatureOnlyEndpoint = SignatureOnlyEndpoint
        self.InsecureTransportError = InsecureTransportError

    def validator(self, server, pol):
        oracle = self
        methods = tuple(pol["signature_methods"])
        window = pol["timestamp_window"]

        class Validator(oracle.RequestValidator):
            enforce_ssl = False
            allowed_signature_methods = methods
            timestamp_lifetime = max(window["past"], window["future"])
            dummy_client = "dummy-client"
            dummy_access_token = "dummy-access-token"

            def __init__(self):
                super().__init__()
                self.nonces = set()

            def check_client_key(self, client_key):
                return printable(client_key)

            def check_access_token(self, token):
                return printable(token)

            def check_nonce(self, nonce):
                return printable(nonce)

            def validate_client_key(self, client_key, request):
                client = server["clients"].get(client_key)
                if client is None:
                    return False
                allowed = client.get("signature_methods")
                if allowed is not None and request.signature_method not in allowed:
                    return False
                if request.signature_method.startswith("RSA-"):
                    return "rsa_public_key_pem" in client
                return "secret" in client

            def get_client_secret(self, client_key, request):
                client = server["clients"].get(client_key, {})
                return client.get("secret", "dummy-secret")

            def get_rsa_key(self, client_key, request):
                client = server["clients"].get(client_key, {})
                return client.get("rsa_public_key_pem", RSA_PUBLIC)

            def validate_access_token(self, client_key, token, request):
                record = server["tokens"].get(token)
                return record is not None and not record["revoked"]

            def get_access_token_secret(self, client_key, token, request):
                record = server["tokens"].get(token)
                return record["secret"] if record else "dummy-secret"

            def validate_realms(self, client_key, token, request, uri=None,
                                realms=None):
                return True

            def validate_timestamp_and_nonce(self, client_key, timestamp,
                                             nonce, request,
                                             request_token=None,
                                             access_token=None):
                # oauthlib checks |now - timestamp| itself; the server's
                # window may be asymmetric, which is checked here.
                ts = int(timestamp)
                if not (pol["now"] - window["past"] <= ts
                        <= pol["now"] + window["future"]):
                    return False
                seen = (client_key, access_token, timestamp, nonce)
                if seen in self.nonces:
                    return False
                self.nonces.add(seen)
                return True

        return Validator()

    def endpoints(self, validator, pol):
        oracle = self

        def transport(self, request):
            # PLAINTEXT over http unless the policy allows it; other
            # methods are accepted over http.
            if (request.signature_method == "PLAINTEXT"
                    and not pol["allow_plaintext_over_http"]
                    and not request.uri.lower().startswith("https://")):
                raise oracle.InsecureTransportError()

        resource = type("Resource", (self.ResourceEndpoint,),
                        {"_check_transport_security": transport})(validator)
        sig_only = type("SignatureOnly", (self.SignatureOnlyEndpoint,),
                        {"_check_transport_security": transport})(validator)
        return resource, sig_only

    def run(self, server, pol, requests):
        """True/False (accepted?) per request."""
        validator = self.validator(server, pol)
        resource, sig_only = self.endpoints(validator, pol)
        saved = self.base.time
        self.base.time = types.SimpleNamespace(time=lambda: pol["now"])
        try:
            return [self.one(resource, sig_only, pol, r) for r in requests]
        finally:
            self.base.time = saved

    def one(self, resource, sig_only, pol, req):
        headers = {n: v for n, v in req["headers"]}
        args = (req["url"], req["method"], req["body"] or "", headers)
        try:
            request = resource._create_request(*args)
        except Exception:  # noqa: BLE001 - oauthlib refuses with ValueError & co.
            return False
        try:
            if request.resource_owner_key or pol["token_required"]:
                ok, _ = resource.validate_protected_resource_request(*args)
            else:
                ok, _ = sig_only.validate_request(*args)
        except Exception:  # noqa: BLE001
            return False
        return bool(ok)


# --------------------------------------------------------------------------
# Cases.

def ok(*alternatives):
    out = {"status": 200}
    if alternatives:
        out["alternatives"] = [{"status": s, "problem": p}
                               for s, p in alternatives]
    return out


def err(status, problem, *alternatives):
    out = {"status": status, "problem": problem}
    if alternatives:
        out["alternatives"] = [
            {"status": s, "problem": p} if p else {"status": s}
            for s, p in alternatives]
    return out


def C(id, description, source, requests, expected, pol=None, flags=(),
      notes=None, oauthlib_note=None):
    if isinstance(requests, dict):
        requests = [requests]
    if isinstance(expected, dict):
        expected = [expected]
    return {"id": id, "description": description, "source": source,
            "flags": list(flags), "policy": pol or policy(),
            "requests": requests, "expected": expected, "notes": notes,
            "oauthlib_note": oauthlib_note}


RFC = G.RFC
RFC_TEXT = G.RFC_TEXT


def rfc(section, what=None):
    text = "%s §%s (%s#section-%s)" % (RFC, section, RFC_TEXT, section)
    return text + ("; " + what if what else "")


S32 = rfc("3.2")
S33 = rfc("3.3")
S35 = rfc("3.5")
S36 = rfc("3.6")
PROBLEMS = ("OAuth Problem Reporting extension "
            "(http://wiki.oauth.net/w/page/12238543/ProblemReporting)")
BODYHASH = G.BODYHASH_SRC
HTTP400 = ("RFC 9110 §15.5.1 (400 Bad Request for a malformed request, "
           "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1)")
HTTP401 = ("RFC 9110 §15.5.2 (401 with a challenge for a request without "
           "valid credentials, https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2)")

TS_NOTE = ("RFC 5849 §3.2 names 401 for an invalid or used nonce but gives no "
           "status for a timestamp outside the server's window; 401 "
           "timestamp_refused (the timestamp is part of the nonce check of "
           "§3.3) is preferred and 400 timestamp_refused is also fine.")
CLIENT_METHOD_NOTE = (
    "The method is one the server supports but not for this client. RFC "
    "5849 §3.2 asks for 400 for an unsupported signature method and 401 for "
    "invalid client credentials; which applies is left open. 401 "
    "signature_method_rejected is preferred (the answer depends on the "
    "client's record, so a 400 given before authentication would let anyone "
    "probe a client's settings); 400 signature_method_rejected is also fine.")
NO_OAUTH_NOTE = (
    "A request that carries no OAuth protocol parameter at all is not an "
    "OAuth request with a parameter missing but an unauthenticated request: "
    "401 with an OAuth challenge (RFC 9110 §15.5.2) is preferred; 400 "
    "parameter_absent, which RFC 5849 §3.2 gives for missing parameters, is "
    "also fine.")

# ---- verify-accept.json

ACCEPT_FLAGS = {
    "Rsa": "Signed with RSA: the server knows the public half of the keys/ "
           "test key.",
    "NotInRfc": "HMAC-SHA256/512 or RSA-SHA256/512, which RFC 5849 does not "
                "define.",
    "Plaintext": None,
    "TwoLegged": None,
    "FormBody": None,
    "NonFormBody": "The request has a body that is not a form (JSON); it is "
                   "not part of the signature.",
    "QueryPlacement": "The protocol parameters travel in the URL query "
                      "(RFC 5849 §3.5.3).",
    "BodyPlacement": "The protocol parameters travel in the form body "
                     "(RFC 5849 §3.5.2).",
    "BodyHash": "Uses oauth_body_hash (OAuth Request Body Hash).",
    "BodyHashNotSha1": "oauth_body_hash with SHA-256 or SHA-512, this "
                       "corpus's convention for the *-SHA256/512 methods.",
    "NoVersion": None,
    "ClientPolicy": "The client's record limits the signature methods it "
                    "may use.",
    "NonAscii": None,
    "Realm": "The Authorization header carries a realm, which is not signed.",
}

ACCEPT_CASES = [
    C("accept-hmac-sha1-header",
      "An HMAC-SHA1 request with the protocol parameters in the header is "
      "accepted.", S32, signed(), ok()),
    C("accept-hmac-sha256-header",
      "An HMAC-SHA256 request is accepted.", S32 + "; HMAC-SHA256 by analogy "
      "with §3.4.2", signed(signature_method="HMAC-SHA256"), ok(),
      flags=["NotInRfc"]),
    C("accept-hmac-sha512-header",
      "An HMAC-SHA512 request is accepted.", S32 + "; HMAC-SHA512 by analogy "
      "with §3.4.2", signed(signature_method="HMAC-SHA512"), ok(),
      flags=["NotInRfc"]),
    C("accept-rsa-sha1-two-legged",
      "An RSA-SHA1 request signed with client credentials only is accepted "
      "by a server that does not require a token.", rfc("3.4.3"),
      signed(client="rsa-client", token=None, signature_method="RSA-SHA1"),
      ok(), pol=policy(token_required=False), flags=["Rsa", "TwoLegged"]),
    C("accept-rsa-sha256-with-token",
      "An RSA-SHA256 request with a token is accepted; the token secret "
      "takes no part in an RSA signature.", rfc("3.4.3") + "; SHA-256 by "
      "analogy", signed(client="rsa-client", signature_method="RSA-SHA256"),
      ok(), flags=["Rsa", "NotInRfc"]),
    C("accept-rsa-sha512-with-token",
      "An RSA-SHA512 request with a token is accepted.", rfc("3.4.3") +
      "; SHA-512 by analogy",
      signed(client="rsa-client", signature_method="RSA-SHA512"), ok(),
      flags=["Rsa", "NotInRfc"]),
    C("accept-plaintext-over-https",
      "A PLAINTEXT request over https is accepted by a server that lists "
      "PLAINTEXT.", rfc("3.4.4"),
      signed(method="POST", signature_method="PLAINTEXT", url=U), ok(),
      pol=policy(signature_methods=ALL_METHODS), flags=["Plaintext"]),
    C("accept-plaintext-without-timestamp-and-nonce",
      "A PLAINTEXT request without oauth_timestamp and oauth_nonce is "
      "accepted: RFC 5849 lets PLAINTEXT leave them out.", rfc("3.1",
      "oauth_timestamp and oauth_nonce MAY be omitted with PLAINTEXT"),
      signed(method="POST", signature_method="PLAINTEXT", url=U,
             timestamp=None, nonce=None), ok(),
      pol=policy(signature_methods=ALL_METHODS), flags=["Plaintext"],
      oauthlib_note="oauthlib requires oauth_timestamp and oauth_nonce with "
                    "every signature method and refuses the request"),
    C("accept-plaintext-over-http-when-allowed",
      "PLAINTEXT over http is accepted when the server's policy explicitly "
      "allows it.", rfc("3.4.4", "PLAINTEXT SHOULD only be used over a "
      "secure channel; this server chose otherwise"),
      signed(method="POST", signature_method="PLAINTEXT",
             url="http://api.example.com/v1/items"), ok(),
      pol=policy(signature_methods=ALL_METHODS,
                 allow_plaintext_over_http=True), flags=["Plaintext"]),
    C("accept-hmac-over-http",
      "HMAC-SHA1 over plain http is accepted: the secrets do not travel.",
      rfc("3.4.2"), signed(url="http://api.example.com/v1/items?page=2"),
      ok()),
    C("accept-query-placement",
      "The protocol parameters in the URL query are accepted.", rfc("3.5.3"),
      signed(placement="query"), ok(), flags=["QueryPlacement"]),
    C("accept-body-placement",
      "The protocol parameters in a form body are accepted.", rfc("3.5.2"),
      signed(method="POST", url=U, form=[["title", "Hello world"]],
             placement="body"), ok(), flags=["BodyPlacement", "FormBody"]),
    C("accept-form-body-signed",
      "A form body is part of the signature; signed correctly it is "
      "accepted.", rfc("3.4.1.3.1"),
      signed(method="POST", url=U,
             form=[["amount", "10.00"], ["memo", "a+b c"], ["memo", "x"]]),
      ok(), flags=["FormBody"]),
    C("accept-two-legged-hmac",
      "A request signed with client credentials only is accepted by a "
      "server that does not require a token.", rfc("3.1", "oauth_token MAY "
      "be omitted when the request is not associated with a resource owner"),
      signed(token=None), ok(), pol=policy(token_required=False),
      flags=["TwoLegged"]),
    C("accept-token-when-not-required",
      "A request with a token is accepted (and the token checked) by a "
      "server that also accepts requests without one.", rfc("3.1"),
      signed(), ok(), pol=policy(token_required=False)),
    C("accept-no-version",
      "A request without oauth_version is accepted: the parameter is "
      "optional.", rfc("3.1", "oauth_version is OPTIONAL"),
      signed(version=None), ok(), flags=["NoVersion"]),
    C("accept-realm-not-signed",
      "The realm is not signed: a request signed with one realm and sent "
      "with another is accepted by a server that does not check realms.",
      rfc("3.4.1.3.1", "the realm parameter is excluded"),
      header_edit(signed(realm="Photos"), 'realm="Photos"',
                  'realm="Other"'), ok(), flags=["Realm"]),
    C("accept-secrets-need-encoding",
      "Client and token secrets with reserved and non-ASCII characters are "
      "encoded before they are joined into the key.", rfc("3.4.2", "key is "
      "the encoded secrets joined by &"),
      signed(client="encoded-client", token="encoded-token"), ok(),
      flags=["NonAscii"]),
    C("accept-client-own-method",
      "A client limited to HMAC-SHA256 is accepted when it uses it.",
      S32, signed(client="sha256-client", signature_method="HMAC-SHA256"),
      ok(), flags=["ClientPolicy", "NotInRfc"]),
    C("accept-body-hash-sha1-json",
      "A JSON body with a matching SHA-1 oauth_body_hash is accepted.",
      BODYHASH, signed(method="POST", url=U, body='{"title":"Hello"}',
                       content_type=JSON_TYPE, body_hash=True), ok(),
      flags=["BodyHash", "NonFormBody"],
      oauthlib_note="oauthlib does not check oauth_body_hash against the "
                    "body; it only signs it as a parameter"),
    C("accept-body-hash-sha256-json",
      "An HMAC-SHA256 request with a matching SHA-256 oauth_body_hash is "
      "accepted.", BODYHASH + ", with the signature method's hash",
      signed(method="POST", url=U, body='{"title":"Hello"}',
             content_type=JSON_TYPE, signature_method="HMAC-SHA256",
             body_hash=True), ok(),
      flags=["BodyHash", "BodyHashNotSha1", "NonFormBody", "NotInRfc"],
      oauthlib_note="oauthlib does not check oauth_body_hash against the "
                    "body; it only signs it as a parameter"),
    C("accept-body-hash-required-and-present",
      "A server that requires body hashes accepts a JSON body with a "
      "matching one.", BODYHASH,
      signed(method="PUT", url=U, body='{"a":[1,2]}',
             content_type=JSON_TYPE, body_hash=True), ok(),
      pol=policy(require_body_hash=True), flags=["BodyHash", "NonFormBody"],
      oauthlib_note="oauthlib does not check oauth_body_hash against the "
                    "body; it only signs it as a parameter"),
    C("accept-body-hash-empty-get",
      "A GET with the body hash of the empty string is accepted by a server "
      "that requires body hashes.", BODYHASH + " §3.2 (no body: the hash "
      "of the empty string)", signed(body_hash=True), ok(),
      pol=policy(require_body_hash=True), flags=["BodyHash"],
      oauthlib_note="oauthlib does not check oauth_body_hash against the "
                    "body; it only signs it as a parameter"),
    C("accept-json-body-changed-without-body-hash",
      "Without oauth_body_hash a JSON body is not signed: changed after "
      "signing, the request is still accepted (which is why the body hash "
      "extension exists).", rfc("3.4.1.3.1", "only form bodies are signed"),
      changed(signed(method="POST", url=U, body='{"amount":1}',
                     content_type=JSON_TYPE), body='{"amount":100}'),
      ok(), flags=["NonFormBody"]),
]

# ---- verify-signature.json

SIG_FLAGS = {
    "Tampered": "The request was changed after it was signed.",
    "WrongSecret": "The client signed with a secret the server does not "
                   "hold for it.",
    "Credentials": "The client or token is unknown or revoked.",
    "Rsa": ACCEPT_FLAGS["Rsa"],
    "Plaintext": None,
    "FormBody": None,
    "NonFormBody": ACCEPT_FLAGS["NonFormBody"],
    "BodyHash": ACCEPT_FLAGS["BodyHash"],
    "NotInRfc": ACCEPT_FLAGS["NotInRfc"],
    "TwoLegged": None,
    "NonAscii": None,
}
SIGSRC = S32 + " (401 for an invalid signature)"
CREDSRC = S32 + " (401 for invalid client credentials or an invalid or " \
                "expired token); " + PROBLEMS
HIDDEN = "this corpus: an unauthenticated request should not learn which " \
    "credentials exist (see notes)"
HIDDEN_CAUSES = {"consumer_key_unknown", "token_rejected"}
HIDDEN_NOTE = ("Until its signature verifies with the real secrets, a request "
               "is best answered the same whatever exists, so that the "
               "answer does not tell which client keys or tokens a server "
               "knows: 401 signature_invalid is preferred; the exact problem "
               "code (which tells) is also fine.")

SIG_CASES = [
    C("sig-tampered-query-value",
      "A query value changed after signing: 401 signature_invalid.", SIGSRC,
      changed(signed(), url=R.replace("page=2", "page=3")),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-query-added",
      "A query parameter added after signing: 401 signature_invalid.",
      SIGSRC, changed(signed(), url=R + "&admin=1"),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-method",
      "The HTTP method changed after signing (GET sent as DELETE): 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.1.1"),
      changed(signed(), method="DELETE"), err(401, "signature_invalid"),
      flags=["Tampered"]),
    C("sig-tampered-path-case",
      "The path changed in letter case after signing: 401 "
      "signature_invalid (paths are case-sensitive).",
      SIGSRC + "; " + rfc("3.4.1.2"),
      changed(signed(), url=R.replace("/v1/items", "/v1/Items")),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-host",
      "The request sent to another host than the one signed: 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.1.2"),
      changed(signed(), url=R.replace("api.example.com",
                                      "api2.example.com")),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-scheme",
      "Signed for https, sent over http: 401 signature_invalid (the scheme "
      "is part of the base string URI).", SIGSRC + "; " + rfc("3.4.1.2"),
      changed(signed(), url=R.replace("https:", "http:")),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-port",
      "Signed for the default port, sent to port 8443: 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.1.2"),
      changed(signed(), url=R.replace("api.example.com",
                                      "api.example.com:8443")),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-form-body",
      "A form body value changed after signing: 401 signature_invalid.",
      SIGSRC + "; " + rfc("3.4.1.3.1"),
      changed(signed(method="POST", url=U, form=[["amount", "1"]]),
              body="amount=100"), err(401, "signature_invalid"),
      flags=["Tampered", "FormBody"]),
    C("sig-tampered-form-body-dropped",
      "A signed form body removed after signing: 401 signature_invalid.",
      SIGSRC + "; " + rfc("3.4.1.3.1"),
      changed(signed(method="POST", url=U, form=[["amount", "1"]]),
              body=None, headers=[["Authorization", header_value(
                  signed(method="POST", url=U, form=[["amount", "1"]]))]]),
      err(401, "signature_invalid"), flags=["Tampered", "FormBody"]),
    C("sig-tampered-protocol-parameter",
      "oauth_timestamp changed after signing (still inside the window): 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.1.3.1", "protocol "
      "parameters are signed"),
      header_edit(signed(), 'oauth_timestamp="%d"' % NOW,
                  'oauth_timestamp="%d"' % (NOW + 1)),
      err(401, "signature_invalid"), flags=["Tampered"]),
    C("sig-tampered-rsa",
      "An RSA-SHA1 request whose query changed after signing: 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.3.2"),
      changed(signed(client="rsa-client", signature_method="RSA-SHA1"),
              url=R.replace("page=2", "page=20")),
      err(401, "signature_invalid"), flags=["Tampered", "Rsa"]),
    C("sig-wrong-client-secret",
      "Signed with a wrong client secret: 401 signature_invalid.", SIGSRC,
      signed(client_secret="not-the-client-secret"),
      err(401, "signature_invalid"), flags=["WrongSecret"]),
    C("sig-wrong-token-secret",
      "Signed with a wrong token secret: 401 signature_invalid.", SIGSRC,
      signed(token_secret="not-the-token-secret"),
      err(401, "signature_invalid"), flags=["WrongSecret"]),
    C("sig-token-secret-left-out",
      "Signed with the client secret only although a token is sent (key "
      "\"secret&\"): 401 signature_invalid.", SIGSRC + "; " + rfc("3.4.2"),
      signed(token_secret=""), err(401, "signature_invalid"),
      flags=["WrongSecret"]),
    C("sig-secrets-not-encoded",
      "Secrets joined without percent-encoding them first: 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.2"),
      signed(client="encoded-client", token="encoded-token",
             raw_key=(SERVER["clients"]["encoded-client"]["secret"] + "&" +
                      SERVER["tokens"]["encoded-token"]["secret"])),
      err(401, "signature_invalid"), flags=["WrongSecret", "NonAscii"]),
    C("sig-method-mismatch",
      "Announced HMAC-SHA1 but signed with HMAC-SHA256: 401 "
      "signature_invalid.", SIGSRC,
      signed(sign_with="HMAC-SHA256"), err(401, "signature_invalid"),
      flags=["WrongSecret", "NotInRfc"]),
    C("sig-plaintext-wrong-secret",
      "PLAINTEXT over https with a wrong client secret: 401 "
      "signature_invalid.", SIGSRC + "; " + rfc("3.4.4"),
      signed(method="POST", url=U, signature_method="PLAINTEXT",
             client_secret="wrong"), err(401, "signature_invalid"),
      pol=policy(signature_methods=ALL_METHODS),
      flags=["WrongSecret", "Plaintext"]),
    C("sig-empty-signature",
      "oauth_signature sent empty.", SIGSRC,
      set_header_param(signed(), "oauth_signature", ""),
      err(401, "signature_invalid", (400, "parameter_absent")),
      notes="An empty oauth_signature is present but cannot match; 401 "
            "signature_invalid is preferred, 400 parameter_absent (treating "
            "it as missing) is also fine."),
    C("sig-unknown-client",
      "A client key the server does not know: 401, signature_invalid "
      "(or consumer_key_unknown).", CREDSRC + "; " + HIDDEN,
      signed(client="unknown-client", client_secret="guess"),
      err(401, "signature_invalid", (401, "consumer_key_unknown")),
      flags=["Credentials"], notes=HIDDEN_NOTE),
    C("sig-unknown-client-two-legged",
      "An unknown client key on a request without token: 401, "
      "signature_invalid (or consumer_key_unknown).", CREDSRC + "; " + HIDDEN,
      signed(client="unknown-client", client_secret="guess", token=None),
      err(401, "signature_invalid", (401, "consumer_key_unknown")),
      pol=policy(token_required=False),
      flags=["Credentials", "TwoLegged"], notes=HIDDEN_NOTE),
    C("sig-unknown-token",
      "A token the server does not know: 401, signature_invalid (or "
      "token_rejected).", CREDSRC + "; " + HIDDEN,
      signed(token="unknown-token", token_secret="guess"),
      err(401, "signature_invalid", (401, "token_rejected")),
      flags=["Credentials"], notes=HIDDEN_NOTE),
    C("sig-revoked-token",
      "A revoked token, correctly signed with its secret: 401 "
      "token_revoked.", CREDSRC, signed(token="revoked-token"),
      err(401, "token_revoked"), flags=["Credentials"]),
    C("sig-body-hash-mismatch",
      "A JSON body changed after signing, its oauth_body_hash no longer "
      "matches.", BODYHASH + " (the server recomputes the hash and refuses "
      "a mismatch); " + SIGSRC,
      changed(signed(method="POST", url=U, body='{"amount":1}',
                     content_type=JSON_TYPE, body_hash=True),
              body='{"amount":100}'),
      err(401, "signature_invalid", (401, "parameter_rejected")),
      flags=["Tampered", "BodyHash", "NonFormBody"],
      notes="The extension says to refuse the request but names no status. "
            "The signed oauth_body_hash does not describe the body "
            "received, so the signature does not cover this request: 401 "
            "signature_invalid is preferred, 401 parameter_rejected is also "
            "fine.",
      oauthlib_note="oauthlib does not check oauth_body_hash against the "
                    "body and accepts the request"),
    C("sig-body-hash-mismatch-sha256",
      "HMAC-SHA256 with an oauth_body_hash that is not the SHA-256 of the "
      "body (a client that hashed another body).", BODYHASH + ", with the "
      "signature method's hash; " + SIGSRC,
      signed(method="POST", url=U, body='{"amount":1}',
             content_type=JSON_TYPE, signature_method="HMAC-SHA256",
             body_hash=body_hash_of('{"amount":2}', "HMAC-SHA256")),
      err(401, "signature_invalid", (401, "parameter_rejected")),
      flags=["BodyHash", "NonFormBody", "NotInRfc"],
      notes="As sig-body-hash-mismatch: 401 signature_invalid preferred, "
            "401 parameter_rejected also fine.",
      oauthlib_note="oauthlib does not check oauth_body_hash against the "
                    "body and accepts the request"),
]

# ---- verify-syntax.json

SYNTAX_FLAGS = {
    "Duplicate": "A protocol parameter is sent more than once.",
    "Missing": "A required protocol parameter is missing (the rest is "
               "correctly signed).",
    "MethodPolicy": "The signature method is unknown, not allowed by the "
                    "server, or not allowed for this client.",
    "ClientPolicy": ACCEPT_FLAGS["ClientPolicy"],
    "MalformedHeader": "The Authorization header does not follow RFC 5849 "
                       "§3.5.1.",
    "StrictDecoding": None,
    "Plaintext": None,
    "Rsa": ACCEPT_FLAGS["Rsa"],
    "QueryPlacement": ACCEPT_FLAGS["QueryPlacement"],
    "BodyPlacement": ACCEPT_FLAGS["BodyPlacement"],
    "FormBody": None,
    "NonFormBody": ACCEPT_FLAGS["NonFormBody"],
    "BodyHash": ACCEPT_FLAGS["BodyHash"],
    "NoOAuth": "The request carries no OAuth protocol parameter.",
    "NonAscii": None,
}
DUP_NOTE = ("oauthlib does not detect a parameter repeated in the header "
            "(it keeps one value); it refuses the request because the "
            "signature, made over both values, does not match")
DUPSRC = S32 + " (400 for duplicated protocol parameters); " + S35
MISSRC = S32 + " (400 for missing parameters); " + rfc("3.1") + "; " + PROBLEMS
METHSRC = S32 + " (400 for an unsupported signature method); " + PROBLEMS
MALSRC = rfc("3.5.1") + "; " + HTTP400 + "; " + PROBLEMS

SYNTAX_CASES = [
    C("syntax-duplicate-in-header",
      "oauth_nonce twice in the Authorization header, with different "
      "values: 400 parameter_rejected.", DUPSRC,
      signed(extra=[("oauth_nonce", "second-nonce")]),
      err(400, "parameter_rejected"), flags=["Duplicate"],
      oauthlib_note=DUP_NOTE),
    C("syntax-duplicate-in-header-same-value",
      "oauth_consumer_key twice in the header with the same value: 400 "
      "parameter_rejected.", DUPSRC,
      signed(extra=[("oauth_consumer_key", "main-client")]),
      err(400, "parameter_rejected"), flags=["Duplicate"],
      oauthlib_note=DUP_NOTE),
    C("syntax-duplicate-header-and-query",
      "oauth_nonce in the header and again in the query: 400 "
      "parameter_rejected.", DUPSRC,
      signed(url=R + "&oauth_nonce=" + NONCE),
      err(400, "parameter_rejected"), flags=["Duplicate"]),
    C("syntax-duplicate-in-query",
      "oauth_token twice in the query: 400 parameter_rejected.", DUPSRC,
      signed(url=R + "&oauth_token=main-token", placement="query"),
      err(400, "parameter_rejected"), flags=["Duplicate", "QueryPlacement"]),
    C("syntax-duplicate-query-and-body",
      "oauth_timestamp in the form body and again in the query: 400 "
      "parameter_rejected.", DUPSRC,
      signed(method="POST", url=U + "?oauth_timestamp=%d" % NOW,
             form=[["a", "1"]], placement="body"),
      err(400, "parameter_rejected"),
      flags=["Duplicate", "BodyPlacement", "FormBody"]),
    C("syntax-split-across-locations",
      "All protocol parameters in the header except oauth_nonce, which is "
      "in the query (each sent once, correctly signed).",
      S35 + " (one and only one location); " + S32,
      signed(url=R + "&oauth_nonce=" + NONCE, nonce=None),
      err(400, "parameter_rejected", (200, None)), flags=["QueryPlacement"],
      notes="RFC 5849 §3.5 says the protocol parameters SHALL be sent in "
            "one and only one location, but §3.2 does not list this among "
            "the checks a server makes, and the signature covers every "
            "location. Refusing with 400 parameter_rejected is preferred; "
            "accepting is also fine."),
    C("syntax-missing-consumer-key",
      "No oauth_consumer_key: 400 parameter_absent.", MISSRC,
      signed(omit=("oauth_consumer_key",)), err(400, "parameter_absent"),
      flags=["Missing"]),
    C("syntax-missing-signature-method",
      "No oauth_signature_method: 400 parameter_absent.", MISSRC,
      signed(omit=("oauth_signature_method",)),
      err(400, "parameter_absent"), flags=["Missing"]),
    C("syntax-missing-signature",
      "No oauth_signature: 400 parameter_absent.", MISSRC,
      set_header_param(signed(), "oauth_signature", None),
      err(400, "parameter_absent"), flags=["Missing"]),
    C("syntax-missing-timestamp",
      "HMAC-SHA1 without oauth_timestamp: 400 parameter_absent.", MISSRC,
      signed(omit=("oauth_timestamp",)), err(400, "parameter_absent"),
      flags=["Missing"]),
    C("syntax-missing-nonce",
      "HMAC-SHA1 without oauth_nonce: 400 parameter_absent.", MISSRC,
      signed(omit=("oauth_nonce",)), err(400, "parameter_absent"),
      flags=["Missing"]),
    C("syntax-missing-token",
      "No oauth_token on a server that requires one: 400 parameter_absent.",
      MISSRC, signed(token=None), err(400, "parameter_absent"),
      flags=["Missing"]),
    C("syntax-no-oauth-basic-auth",
      "A Basic Authorization header and no OAuth parameter anywhere.",
      HTTP401 + "; " + S32 + "; " + PROBLEMS,
      plain("GET", R, [["Authorization", "Basic dXNlcjpwYXNzd29yZA=="]]),
      err(401, "parameter_absent", (400, "parameter_absent")),
      flags=["NoOAuth"], notes=NO_OAUTH_NOTE),
    C("syntax-no-credentials",
      "No Authorization header and no OAuth parameter anywhere.",
      HTTP401 + "; " + S32 + "; " + PROBLEMS, plain("GET", R),
      err(401, "parameter_absent", (400, "parameter_absent")),
      flags=["NoOAuth"], notes=NO_OAUTH_NOTE),
    C("syntax-bad-version",
      "oauth_version=\"2.0\": 400 version_rejected.",
      S32 + " (oauth_version, if present, must be 1.0); " + PROBLEMS,
      signed(version="2.0"), err(400, "version_rejected")),
    C("syntax-bad-version-1-0a",
      "oauth_version=\"1.0a\" (the protocol revision, not a version "
      "value): 400 version_rejected.",
      S32 + " (oauth_version, if present, must be 1.0); " + PROBLEMS,
      signed(version="1.0a"), err(400, "version_rejected")),
    C("syntax-unknown-signature-method",
      "oauth_signature_method=\"HMAC-MD5\", a method no one defines: 400 "
      "signature_method_rejected.", METHSRC,
      signed(signature_method="HMAC-MD5"),
      err(400, "signature_method_rejected"), flags=["MethodPolicy"]),
    C("syntax-plaintext-not-allowed",
      "PLAINTEXT over https on a server that does not list it: 400 "
      "signature_method_rejected.", METHSRC,
      signed(method="POST", url=U, signature_method="PLAINTEXT"),
      err(400, "signature_method_rejected"),
      flags=["MethodPolicy", "Plaintext"]),
    C("syntax-method-not-allowed",
      "HMAC-SHA1 on a server that accepts HMAC-SHA256 only: 400 "
      "signature_method_rejected.", METHSRC, signed(),
      err(400, "signature_method_rejected"),
      pol=policy(signature_methods=["HMAC-SHA256"]), flags=["MethodPolicy"]),
    C("syntax-rsa-not-allowed",
      "RSA-SHA1 on a server that accepts the HMAC methods only: 400 "
      "signature_method_rejected.", METHSRC,
      signed(client="rsa-client", signature_method="RSA-SHA1"),
      err(400, "signature_method_rejected"),
      pol=policy(signature_methods=["HMAC-SHA1", "HMAC-SHA256"]),
      flags=["MethodPolicy", "Rsa"]),
    C("syntax-plaintext-over-http",
      "PLAINTEXT over http on a server that lists PLAINTEXT but not over "
      "http: 400 signature_method_rejected.",
      rfc("3.4.4", "PLAINTEXT only over a secure channel") + "; " + METHSRC,
      signed(method="POST", url="http://api.example.com/v1/items",
             signature_method="PLAINTEXT"),
      err(400, "signature_method_rejected"),
      pol=policy(signature_methods=ALL_METHODS),
      flags=["MethodPolicy", "Plaintext"]),
    C("syntax-client-method-not-allowed",
      "A client limited to HMAC-SHA256 signs with HMAC-SHA1, which the "
      "server accepts from others.", METHSRC + "; " + CREDSRC,
      signed(client="sha256-client"),
      err(401, "signature_method_rejected",
          (400, "signature_method_rejected")),
      flags=["MethodPolicy", "ClientPolicy"], notes=CLIENT_METHOD_NOTE),
    C("syntax-rsa-client-signs-hmac",
      "A client registered with an RSA public key only signs with "
      "HMAC-SHA1 (with a guessed secret).", METHSRC + "; " + CREDSRC,
      signed(client="rsa-client", client_secret="guess"),
      err(401, "signature_method_rejected",
          (400, "signature_method_rejected"), (401, "signature_invalid")),
      flags=["MethodPolicy", "ClientPolicy"],
      notes=CLIENT_METHOD_NOTE + " Since the client has no shared secret, "
            "401 signature_invalid is fine too."),
    C("syntax-header-unterminated-quote",
      "The last value of the Authorization header has no closing quote: "
      "400 parameter_rejected.", MALSRC,
      changed(signed(), headers=[["Authorization",
                                  header_value(signed())[:-1]]]),
      err(400, "parameter_rejected"), flags=["MalformedHeader"]),
    C("syntax-header-missing-comma",
      "Two header parameters separated by a space instead of a comma: 400 "
      "parameter_rejected.", MALSRC,
      header_edit(signed(), '", oauth_nonce=', '" oauth_nonce='),
      err(400, "parameter_rejected"), flags=["MalformedHeader"]),
    C("syntax-header-parameter-without-value",
      "A header parameter without \"=\" and value: 400 parameter_rejected.",
      MALSRC, header_edit(signed(), "OAuth ", "OAuth oauth_flag, "),
      err(400, "parameter_rejected"), flags=["MalformedHeader"]),
    C("syntax-header-invalid-escape",
      "A header value with a %zz escape: 400 parameter_rejected.",
      S36 + "; " + MALSRC,
      header_edit(signed(), 'oauth_nonce="%s"' % NONCE,
                  'oauth_nonce="%s%%zz"' % NONCE),
      err(400, "parameter_rejected"),
      flags=["MalformedHeader", "StrictDecoding"]),
    C("syntax-header-invalid-utf8",
      "A header value whose escapes decode to invalid UTF-8 (%C3%28): 400 "
      "parameter_rejected.", S36 + " (values are UTF-8); " + MALSRC,
      header_edit(signed(), 'oauth_nonce="%s"' % NONCE,
                  'oauth_nonce="%s%%C3%%28"' % NONCE),
      err(400, "parameter_rejected"),
      flags=["MalformedHeader", "StrictDecoding", "NonAscii"]),
    C("syntax-query-invalid-escape",
      "A query with a %zz escape: 400 parameter_rejected.",
      rfc("3.4.1.3.1") + "; " + HTTP400 + "; " + PROBLEMS,
      changed(signed(), url=R + "&q=%zz"), err(400, "parameter_rejected"),
      flags=["StrictDecoding"]),
    C("syntax-query-invalid-utf8",
      "A query whose escapes decode to invalid UTF-8 (%FF): 400 "
      "parameter_rejected.",
      rfc("3.4.1.3.1") + "; " + S36 + "; " + HTTP400 + "; " + PROBLEMS,
      changed(signed(), url=R + "&q=%FF"), err(400, "parameter_rejected"),
      flags=["StrictDecoding", "NonAscii"]),
    C("syntax-form-body-invalid-escape",
      "A form body with a %G1 escape: 400 parameter_rejected.",
      rfc("3.4.1.3.1") + "; " + HTTP400 + "; " + PROBLEMS,
      changed(signed(method="POST", url=U, form=[["a", "1"]]),
              body="a=1&b=%G1"),
      err(400, "parameter_rejected"), flags=["StrictDecoding", "FormBody"]),
    C("syntax-timestamp-not-a-number",
      "oauth_timestamp=\"yesterday\" (correctly signed).",
      rfc("3.3", "the timestamp is a positive integer") + "; " + S32,
      signed(timestamp="yesterday"),
      err(400, "parameter_rejected", (400, "timestamp_refused"),
          (401, "timestamp_refused")),
      notes="A timestamp that is not a number is a malformed parameter: 400 "
            "parameter_rejected is preferred; timestamp_refused with 400 or "
            "401 is also fine."),
    C("syntax-body-hash-on-form-body",
      "oauth_body_hash sent with a form body (correctly signed): 400 "
      "parameter_rejected.",
      BODYHASH + " §4.1.1 (never on form-encoded bodies); " + S32 +
      " (400 for unsupported parameters)",
      signed(method="POST", url=U, form=[["a", "1"]],
             body_hash=body_hash_of("a=1", "HMAC-SHA1")),
      err(400, "parameter_rejected"), flags=["BodyHash", "FormBody"],
      oauthlib_note="oauthlib knows nothing of oauth_body_hash and accepts "
                    "the request"),
    C("syntax-body-hash-required-missing",
      "A JSON body without oauth_body_hash on a server that requires body "
      "hashes: 400 parameter_absent.", BODYHASH + "; " + MISSRC,
      signed(method="POST", url=U, body='{"a":1}', content_type=JSON_TYPE),
      err(400, "parameter_absent"), pol=policy(require_body_hash=True),
      flags=["BodyHash", "NonFormBody", "Missing"],
      oauthlib_note="oauthlib knows nothing of oauth_body_hash and accepts "
                    "the request"),
    C("syntax-body-hash-required-get-without-body",
      "A GET without body and without oauth_body_hash on a server that "
      "requires body hashes: 400 parameter_absent.",
      BODYHASH + " §3.2 (no body: the hash of the empty string); " + MISSRC,
      signed(), err(400, "parameter_absent"),
      pol=policy(require_body_hash=True), flags=["BodyHash", "Missing"],
      oauthlib_note="oauthlib knows nothing of oauth_body_hash and accepts "
                    "the request"),
]

# ---- verify-header.json

HEADER_FLAGS = {
    "HeaderSyntax": "Exercises the auth-param syntax of the Authorization "
                    "header (RFC 5849 §3.5.1 with RFC 2617 §1.2): scheme "
                    "case, whitespace, order, quoted strings.",
    "Realm": ACCEPT_FLAGS["Realm"],
    "MalformedHeader": SYNTAX_FLAGS["MalformedHeader"],
    "QueryPlacement": ACCEPT_FLAGS["QueryPlacement"],
    "OtherScheme": "An Authorization header of another scheme than OAuth "
                   "is sent as well.",
}
HDRSRC = (rfc("3.5.1") + "; RFC 2617 §1.2 (auth-param syntax, "
          "https://www.rfc-editor.org/rfc/rfc2617#section-1.2)")
SCHEME_SRC = HDRSRC + ("; RFC 7235 §2.1 (the auth-scheme is "
                       "case-insensitive, https://www.rfc-editor.org/rfc/"
                       "rfc7235#section-2.1)")
LWS_SRC = HDRSRC + ("; RFC 2616 §2.1 (implied *LWS: spaces and tabs between "
                    "words and separators); RFC 7235 §2.1 (BWS around '=', "
                    "OWS around ',')")
QUOTED_SRC = HDRSRC + ("; RFC 2616 §2.2 (quoted-string and quoted-pair, "
                       "https://www.rfc-editor.org/rfc/rfc2616#section-2.2)")
PARSE_NOTE = ("oauthlib splits each auth-param at its first '=' without "
              "removing the whitespace around it, so it does not find the "
              "parameters")


def header_items(request):
    """The auth-params of a request's header, as written (safe to split at
    ', ' because every value is percent-encoded and the realm is plain)."""
    value = header_value(request)
    assert value.startswith("OAuth ")
    return value[len("OAuth "):].split(", ")


def with_header(request, value):
    out = changed(request)
    for pair in out["headers"]:
        if pair[0] == "Authorization":
            pair[1] = value
            return out
    raise AssertionError("no Authorization header")


def reordered(request):
    """The same auth-params in another order: oauth_signature first, the
    others reversed, the realm in the middle."""
    items = header_items(request)
    realm = [i for i in items if i.startswith("realm=")]
    rest = [i for i in items if not i.startswith("realm=")]
    sig = [i for i in rest if i.startswith("oauth_signature=")]
    others = [i for i in rest if not i.startswith("oauth_signature=")][::-1]
    half = len(others) // 2
    return with_header(request, "OAuth " + ", ".join(
        sig + others[:half] + realm + others[half:]))


def spaced(request):
    """Spaces and tabs around every '=' and ','."""
    items = []
    for item in header_items(request):
        name, _, value = item.partition("=")
        items.append(name + " \t= \t" + value)
    return with_header(request, "OAuth " + " \t,\t ".join(items))


REALM_WITH_COMMA = 'Photos, \\"Album\\" 2'  # as written in the header

HEADER_CASES = [
    C("header-scheme-lowercase",
      "The scheme written 'oauth' is the OAuth scheme: accepted.",
      SCHEME_SRC, header_edit(signed(), "OAuth ", "oauth "), ok(),
      flags=["HeaderSyntax"],
      notes="Authentication schemes are case-insensitive tokens (RFC 2617 "
            "§1.2, RFC 7235 §2.1); RFC 5849 §3.5.1 only names the scheme."),
    C("header-scheme-uppercase",
      "The scheme written 'OAUTH' is the OAuth scheme: accepted.",
      SCHEME_SRC, header_edit(signed(), "OAuth ", "OAUTH "), ok(),
      flags=["HeaderSyntax"]),
    C("header-spaces-after-scheme",
      "Three spaces between the scheme and the first parameter: accepted.",
      LWS_SRC, header_edit(signed(realm="Photos"), "OAuth ", "OAuth   "),
      ok(), flags=["HeaderSyntax", "Realm"]),
    C("header-tab-after-scheme",
      "A space and a tab between the scheme and the first parameter.",
      LWS_SRC, header_edit(signed(realm="Photos"), "OAuth ", "OAuth \t"),
      ok((400, "parameter_rejected")), flags=["HeaderSyntax", "Realm"],
      notes="RFC 2617, which RFC 5849 §3.5.1 cites, allows linear white "
            "space (spaces and tabs) between the scheme and the first "
            "auth-param; RFC 7235 §2.1, which replaced it, writes 1*SP "
            "there. Accepting is preferred; refusing with 400 "
            "parameter_rejected is also fine."),
    C("header-whitespace-around-equals-and-commas",
      "Spaces and tabs on both sides of every '=' and ',' of the header: "
      "accepted.", LWS_SRC, spaced(signed(realm="Photos")), ok(),
      flags=["HeaderSyntax", "Realm"], oauthlib_note=PARSE_NOTE),
    C("header-parameters-any-order",
      "The header parameters in another order (oauth_signature first, the "
      "realm in the middle): accepted.",
      HDRSRC + "; " + rfc("3.4.1.3.2", "the parameters are sorted for "
                          "the base string"),
      reordered(signed(realm="Photos")), ok(),
      flags=["HeaderSyntax", "Realm"],
      notes="Neither RFC 5849 nor RFC 2617 orders auth-params; the "
            "realm is printed first in RFC 5849's examples only."),
    C("header-realm-with-comma-and-escaped-quote",
      "A realm holding a comma and an escaped quote (realm=\"Photos, "
      "\\\"Album\\\" 2\"), which is not signed: accepted.",
      QUOTED_SRC + "; " + rfc("3.4.1.3.1", "the realm parameter is "
                              "excluded"),
      signed(realm=REALM_WITH_COMMA), ok(),
      flags=["HeaderSyntax", "Realm"],
      notes="The comma is inside the quoted-string, so it does not end "
            "the parameter, and \\\" is a quoted-pair, so it does not end "
            "the string. The realm is left out of the signature (RFC 5849 "
            "§3.4.1.3.1), so only a parser that cuts the header at that "
            "comma or quote refuses the request."),
    C("header-escaped-closing-quote",
      "The last parameter (the realm) ends in \\\" , an escaped quote, so "
      "its quoted-string is never closed: 400 parameter_rejected.",
      QUOTED_SRC + "; " + MALSRC,
      with_header(signed(), header_value(signed()) + ', realm="Photos\\"'),
      err(400, "parameter_rejected"),
      flags=["MalformedHeader", "HeaderSyntax", "Realm"],
      notes="A parser that ignores quoted-pairs reads realm=Photos\\ and, "
            "since the realm is not signed, accepts the request.",
      oauthlib_note="its header parser (urllib's parse_http_list) accepts "
                    "a quoted-string that is never closed, reads the realm "
                    "as 'Photos' and accepts the request"),
    C("header-basic-scheme-with-query-parameters",
      "A Basic Authorization header, with the protocol parameters, "
      "correctly signed, in the URL query.",
      rfc("3.5", "one and only one location") + "; " + rfc("3.5.1") + "; "
      + rfc("3.5.3"),
      changed(signed(placement="query"),
              headers=[["Authorization", "Basic dXNlcjpwYXNzd29yZA=="]]),
      ok((400, "parameter_rejected")),
      flags=["OtherScheme", "QueryPlacement"],
      notes="The Authorization header of RFC 5849 §3.5.1 is the one with "
            "the OAuth scheme; a Basic header carries no protocol "
            "parameter, so the query is the one location they are sent in "
            "(§3.5) and the request verifies. RFC 5849 does not say what a "
            "server does with credentials of another scheme beside an "
            "OAuth request: accepting it on its OAuth parameters is "
            "preferred; refusing it as ambiguous with 400 "
            "parameter_rejected is also fine. A server must not read "
            "OAuth parameters out of the Basic header.",
      oauthlib_note="it refuses every request whose Authorization header "
                    "is not of the OAuth scheme ('Malformed authorization "
                    "header'), even with the protocol parameters in the "
                    "query; refusing is the vector's alternative answer"),
]

# ---- verify-replay-and-time.json

TIME_FLAGS = {
    "Timestamp": "The timestamp is at or beyond the edge of the server's "
                 "window.",
    "Replay": "Several requests share a nonce; the server remembers the "
              "nonces of the requests it accepted.",
    "MultiRequest": "The vector sends several requests, in order, to one "
                    "server.",
    "TwoLegged": None,
    "Plaintext": None,
}

REPLAYSRC = S33 + "; " + S32 + " (401 for an invalid or used nonce); " + PROBLEMS
TIMESRC = S33 + "; " + PROBLEMS

TIME_CASES = [
    C("time-too-old",
      "oauth_timestamp 301 s before now, with a 300 s window.", TIMESRC,
      signed(timestamp=NOW - 301),
      err(401, "timestamp_refused", (400, "timestamp_refused")),
      flags=["Timestamp"], notes=TS_NOTE),
    C("time-too-far-ahead",
      "oauth_timestamp 301 s after now, with a 300 s window.", TIMESRC,
      signed(timestamp=NOW + 301),
      err(401, "timestamp_refused", (400, "timestamp_refused")),
      flags=["Timestamp"], notes=TS_NOTE),
    C("time-edge-past-accepted",
      "oauth_timestamp exactly 300 s before now is inside a 300 s window.",
      TIMESRC, signed(timestamp=NOW - 300), ok(), flags=["Timestamp"]),
    C("time-edge-future-accepted",
      "oauth_timestamp exactly 300 s after now is inside a 300 s window.",
      TIMESRC, signed(timestamp=NOW + 300), ok(), flags=["Timestamp"]),
    C("time-asymmetric-window-future",
      "With a window of 600 s in the past and none in the future, a "
      "timestamp 1 s ahead is refused.", TIMESRC,
      signed(timestamp=NOW + 1),
      err(401, "timestamp_refused", (400, "timestamp_refused")),
      pol=policy(past=600, future=0), flags=["Timestamp"], notes=TS_NOTE),
    C("time-asymmetric-window-past",
      "With a window of 600 s in the past and none in the future, a "
      "timestamp 600 s old is accepted.", TIMESRC,
      signed(timestamp=NOW - 600), ok(), pol=policy(past=600, future=0),
      flags=["Timestamp"]),
    C("replay-same-request-twice",
      "The same signed request sent twice: the second is 401 nonce_used.",
      REPLAYSRC, [signed(), signed()], [ok(), err(401, "nonce_used")],
      flags=["Replay", "MultiRequest"]),
    C("replay-nonce-reused-other-request",
      "Two different requests, each correctly signed, with the same nonce "
      "and timestamp: the second is 401 nonce_used.", REPLAYSRC,
      [signed(), signed(url=U + "?page=3")], [ok(), err(401, "nonce_used")],
      flags=["Replay", "MultiRequest"]),
    C("replay-two-legged-nonce-reused",
      "A request without token sent twice: the second is 401 nonce_used.",
      REPLAYSRC, [signed(token=None), signed(token=None)],
      [ok(), err(401, "nonce_used")], pol=policy(token_required=False),
      flags=["Replay", "MultiRequest", "TwoLegged"]),
    C("replay-distinct-nonces",
      "Two requests with the same timestamp and different nonces are both "
      "accepted.", S33, [signed(nonce="vn0nce-b1"), signed(nonce="vn0nce-b2")],
      [ok(), ok()], flags=["MultiRequest"]),
    C("replay-same-nonce-other-timestamp",
      "The same nonce with another timestamp is a new request: both are "
      "accepted.", S33 + " (a nonce is unique per timestamp, client and "
      "token)", [signed(), signed(timestamp=NOW + 1)], [ok(), ok()],
      flags=["Replay", "MultiRequest"]),
    C("replay-same-nonce-other-token",
      "The same nonce and timestamp with another token of the same client "
      "are both accepted.", S33 + " (a nonce is unique per timestamp, "
      "client and token)", [signed(), signed(token="other-token")],
      [ok(), ok()], flags=["Replay", "MultiRequest"]),
    C("replay-same-nonce-other-client",
      "The same nonce and timestamp from another client are both accepted.",
      S33 + " (a nonce is unique per timestamp, client and token)",
      [signed(), signed(client="other-client")], [ok(), ok()],
      flags=["Replay", "MultiRequest"]),
    C("replay-nonce-of-refused-request",
      "A request with a wrong signature, then the correctly signed request "
      "with the same nonce and timestamp.", REPLAYSRC,
      [signed(client_secret="wrong"), signed()],
      [err(401, "signature_invalid"), ok((401, "nonce_used"))],
      flags=["Replay", "MultiRequest"],
      notes="RFC 5849 §3.3 asks that a nonce be unique across requests; it "
            "does not say whether a request the server refused uses it up. "
            "Accepting the second request is preferred: only an "
            "authenticated request should be able to spend a nonce, or "
            "anyone could block a client's next nonce. 401 nonce_used is "
            "also fine.",
      oauthlib_note="oauthlib records the nonce before it checks the "
                    "signature, so it refuses the second request (the "
                    "alternative answer)"),
    C("replay-plaintext-without-nonce",
      "PLAINTEXT without timestamp and nonce, sent twice: both accepted "
      "(there is nothing to remember).", rfc("3.1", "PLAINTEXT MAY omit "
      "oauth_timestamp and oauth_nonce") + "; " + S33,
      [signed(method="POST", url=U, signature_method="PLAINTEXT",
              timestamp=None, nonce=None)] * 2, [ok(), ok()],
      pol=policy(signature_methods=ALL_METHODS),
      flags=["Plaintext", "MultiRequest"],
      oauthlib_note="oauthlib requires oauth_timestamp and oauth_nonce with "
                    "every signature method and refuses both requests"),
]

SHARED = G.SHARED_FLAGS
FILES = [
    ("verify-accept.json", "Verification: accepted requests",
     "Requests a verifier must accept: every signature method, each "
     "location of the protocol parameters, requests without token, body "
     "hashes, and what is not signed (realm, non-form bodies).",
     ACCEPT_FLAGS, ACCEPT_CASES),
    ("verify-signature.json", "Verification: signatures and credentials",
     "Requests changed after signing, signed with wrong secrets, or sent "
     "with credentials the server does not know or has revoked.",
     SIG_FLAGS, SIG_CASES),
    ("verify-syntax.json", "Verification: malformed and unsupported requests",
     "Repeated, missing and misplaced protocol parameters, versions and "
     "signature methods the server does not accept, malformed headers, "
     "invalid percent-encoding and body-hash rules.",
     SYNTAX_FLAGS, SYNTAX_CASES),
    ("verify-header.json", "Verification: Authorization header syntax",
     "How the OAuth Authorization header is read (RFC 5849 §3.5.1 with the "
     "auth-param syntax of RFC 2617): scheme case, whitespace, parameter "
     "order, quoted strings in the realm, and a header of another scheme.",
     HEADER_FLAGS, HEADER_CASES),
    ("verify-replay-and-time.json", "Verification: timestamps and nonces",
     "The timestamp window and the nonce check of RFC 5849 §3.3, over one "
     "or several requests sent to the same server.",
     TIME_FLAGS, TIME_CASES),
]


# --------------------------------------------------------------------------
# Confirmation by the peers (see generate.py, "Confirmation by independent
# implementations").  Two of the five peers have a verifier that decides a
# whole request: python3-oauthlib (its endpoints, run by the Oracle above)
# and PECL oauth (OAuthProvider, run by record_peers.mjs through
# test/interop/pecl_provider.php; its results are in peer-results.json).

PECL = "pecl-oauth"
VERIFIERS = ("python3-oauthlib's endpoints and PECL oauth's OAuthProvider "
             "are the only verifiers among the five peers (liboauth has none;"
             " Net::OAuth and ruby-oauth check a signature but leave "
             "credentials, timestamps and nonces to the application), so no "
             "verification vector can have 3 confirmations yet")

# What OAuthProvider (PECL oauth 2.0.7) does differently, by vector.
PECL_VERIFY_DEVIATIONS = [
    ("it requires oauth_timestamp and oauth_nonce with every method, "
     "PLAINTEXT included (RFC 5849 §3.1 lets PLAINTEXT leave them out)",
     ["accept-plaintext-without-timestamp-and-nonce",
      "replay-plaintext-without-nonce"]),
    ("it reads the form body through PHP's $_POST, which keeps only the last "
     "value of a repeated name (RFC 5849 §3.4.1.3.1 keeps every pair)",
     ["accept-form-body-signed"]),
    ("it makes the HMAC key of the secrets as they are, without "
     "percent-encoding them (RFC 5849 §3.4.2)",
     ["accept-secrets-need-encoding", "sig-secrets-not-encoded"]),
    ("it has no oauth_body_hash, so it neither checks nor requires one "
     "(draft-eaton-oauth-bodyhash-00)",
     ["sig-body-hash-mismatch", "sig-body-hash-mismatch-sha256",
      "syntax-body-hash-on-form-body", "syntax-body-hash-required-missing",
      "syntax-body-hash-required-get-without-body"]),
    ("it takes protocol parameters from the header, the query and the body "
     "together (RFC 5849 §3.5 wants one place; accepting is the vector's "
     "alternative answer)",
     ["syntax-split-across-locations"]),
    ("it does not check oauth_version (RFC 5849 §3.1: if present, it is "
     "1.0)",
     ["syntax-bad-version", "syntax-bad-version-1-0a"]),
    ("it reads a malformed Authorization header leniently, skipping what "
     "it cannot parse (RFC 5849 §3.5.1 with the auth-param syntax of RFC "
     "2617)",
     ["syntax-header-missing-comma", "syntax-header-parameter-without-value",
      "header-escaped-closing-quote"]),
    ("it does not read auth-params with spaces and tabs around '=' and ',' "
     "(RFC 2617 §1.2 with the implied linear white space of RFC 2616 §2.1; "
     "RFC 7235 §2.1), so it misses the protocol parameters",
     ["header-whitespace-around-equals-and-commas"]),
    ("with an Authorization header of another scheme (Basic) it does not "
     "take the protocol parameters from the query and refuses the request; "
     "refusing is the vector's alternative answer",
     ["header-basic-scheme-with-query-parameters"]),
]


class Confirmations:
    def __init__(self, record):
        self.results = record["verify"]
        self.details = record.get("details", {})
        self.deviations = {}
        for text, ids in PECL_VERIFY_DEVIATIONS:
            for vid in ids:
                self.deviations.setdefault(vid, []).append(text)
        self.used = set()

    def of(self, vid, oauthlib_confirmed, oauthlib_reason):
        if vid not in self.results:
            raise Stop("%s is not in peer-results.json: run node "
                       "vectors/generate/record_peers.mjs" % vid)
        status = self.results[vid].get(PECL)
        detail = self.details.get(vid, {}).get(PECL, "")
        if vid in self.deviations:
            self.used.add(vid)
            if status == "pass":
                raise Stop("PECL_VERIFY_DEVIATIONS names %s, but PECL oauth "
                           "passes it in peer-results.json" % vid)
        confirmed = [ORACLE] if oauthlib_confirmed else []
        reasons = []
        if not oauthlib_confirmed:
            reasons.append("python3-oauthlib decides otherwise: %s (see the "
                           "notes)" % oauthlib_reason)
        if status == "pass":
            confirmed.append(PECL)
        elif status == "unsupported":
            reasons.append("PECL oauth cannot verify it: %s" % detail)
        elif status == "fail":
            texts = self.deviations.get(vid)
            if not texts:
                raise Stop("%s: PECL oauth decides otherwise (%s) and "
                           "PECL_VERIFY_DEVIATIONS does not say why: "
                           "investigate, then add the reason" % (vid, detail))
            reasons.append("PECL oauth decides otherwise (%s): %s"
                           % (detail, "; and ".join(texts)))
        else:
            raise Stop("%s: PECL oauth's result is %r (%s): record again"
                       % (vid, status, detail))
        note = None
        if len(confirmed) < G.MIN_CONFIRMATIONS:
            note = "Confirmed by %d of the %d peers (%d wanted): %s." % (
                len(confirmed), len(G.PEER_NAMES), G.MIN_CONFIRMATIONS,
                VERIFIERS)
            if reasons:
                note += " " + ". ".join(reasons) + "."
        return confirmed, note

    def finish(self, ids):
        stale = set(self.results) - set(ids)
        if stale:
            raise Stop("peer-results.json has verify vectors the corpus does "
                       "not: %s; record again" % sorted(stale))
        unused = set(self.deviations) - self.used
        if unused:
            raise Stop("PECL_VERIFY_DEVIATIONS names vectors that do not "
                       "exist: %s" % sorted(unused))


# --------------------------------------------------------------------------
# Building, checking and writing.

def result_of(case):
    expected = case["expected"]
    if any("alternatives" in e for e in expected):
        return "acceptable"
    if all(e["status"] == 200 for e in expected):
        return "valid"
    return "invalid"


def check_case(case):
    vid = case["id"]
    if len(case["requests"]) != len(case["expected"]):
        raise Stop("%s: %d requests but %d expectations"
                   % (vid, len(case["requests"]), len(case["expected"])))
    for i, (req, exp) in enumerate(zip(case["requests"], case["expected"])):
        sig_ok, hash_ok = model_check(req)
        where = "%s request %d" % (vid, i + 1)
        if exp["status"] == 200:
            if sig_ok is not True or hash_ok is False:
                raise Stop("%s: expected to be accepted but the model finds "
                           "signature %s, body hash %s" % (where, sig_ok, hash_ok))
        elif exp.get("problem") == "signature_invalid":
            # An unknown key answered like a wrong signature (its cause
            # hidden): the model cannot check such a signature at all.
            hidden = {a["problem"] for a in exp.get("alternatives", [])} & HIDDEN_CAUSES
            if sig_ok is None and hidden:
                continue
            if sig_ok is not False and hash_ok is not False:
                raise Stop("%s: expected signature_invalid but the model "
                           "finds signature %s, body hash %s"
                           % (where, sig_ok, hash_ok))
        elif exp.get("problem") == "signature_method_rejected" and sig_ok is None:
            pass
        elif sig_ok is False:
            raise Stop("%s: refused for %s, but its signature is wrong too: "
                       "a vector must have one fault" % (where, exp["problem"]))


def build_vector(case, oracle, confirmations, report):
    check_case(case)
    vid = case["id"]
    result = result_of(case)
    vector = {
        "id": vid, "description": case["description"],
        "source": case["source"], "flags": case["flags"],
        "policy": case["policy"],
        "requests": [dict(r) for r in case["requests"]],
        "expected": case["expected"], "result": result,
    }
    notes = [case["notes"]] if case["notes"] else []
    accepted = oracle.run(SERVER, case["policy"], case["requests"])
    wanted = [e["status"] == 200 for e in case["expected"]]
    confirmed = accepted == wanted
    reason = case["oauthlib_note"] or "it differs"
    peers, confirmation_note = confirmations.of(vid, confirmed, reason)
    vector["confirmed_by"] = peers
    if confirmation_note:
        vector["confirmation_note"] = confirmation_note
    if not confirmed:
        got = ", ".join("request %d %s" % (i + 1, "accepted" if a else "refused")
                        for i, a in enumerate(accepted))
        notes.append("Not confirmed by python3-oauthlib %s: %s (%s)."
                     % (oracle.version, reason, got))
        report.append((vid, reason + " (" + got + ")"))
    elif case["oauthlib_note"]:
        notes.append("python3-oauthlib %s makes the same decision, but: %s."
                     % (oracle.version, case["oauthlib_note"]))
    if notes:
        vector["notes"] = " ".join(notes)
    return vector, confirmed


def build_file(name, title, description, flags, cases, oracle, confirmations,
               report):
    table = {}
    for flag, text in flags.items():
        table[flag] = text if text is not None else SHARED[flag]
    used = {f for case in cases for f in case["flags"]}
    for case in cases:
        for flag in case["flags"]:
            if flag not in table:
                raise Stop("%s: flag %s is not defined in %s"
                           % (case["id"], flag, name))
    unused = set(table) - used
    if unused:
        raise Stop("%s defines unused flags %s" % (name, sorted(unused)))
    vectors, confirmed = [], 0
    for case in cases:
        vector, ok_ = build_vector(case, oracle, confirmations, report)
        vectors.append(vector)
        confirmed += ok_
    return {
        "$schema": "./schema.json",
        "title": title,
        "description": description,
        "kind": "verify",
        "flags": table,
        "server": SERVER,
        "vectors": vectors,
    }, confirmed


def main(argv):
    check_only = "--check" in argv
    oracle = Oracle()
    record = G.load_peer_results()
    confirmations = Confirmations(record)
    report, documents, texts, counts = [], {}, {}, {}
    seen = {c["id"] for _, _, _, _, cases in G.FILES for c in cases}
    for name, title, description, flags, cases in FILES:
        for case in cases:
            if case["id"] in seen:
                raise Stop("duplicate id " + case["id"])
            seen.add(case["id"])
        document, confirmed = build_file(name, title, description, flags,
                                         cases, oracle, confirmations, report)
        documents[name] = document
        counts[name] = confirmed
        texts[name] = G.render(document) + "\n"
    confirmations.finish([v["id"] for d in documents.values()
                          for v in d["vectors"]])
    G.validate(documents)

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

    total = sum(len(d["vectors"]) for d in documents.values())
    for name, document in documents.items():
        results = {}
        for v in document["vectors"]:
            results[v["result"]] = results.get(v["result"], 0) + 1
        print("%-28s %3d vectors (%s), %d confirmed" % (
            name, len(document["vectors"]),
            ", ".join("%d %s" % (n, r) for r, n in sorted(results.items())),
            counts[name]))
    print("%d verification vectors, %d confirmed by python3-oauthlib %s"
          % (total, sum(counts.values()), oracle.version))
    vectors = [v for d in documents.values() for v in d["vectors"]]
    by_count = {}
    for v in vectors:
        by_count[len(v["confirmed_by"])] = by_count.get(len(v["confirmed_by"]), 0) + 1
    print("confirmed by PECL oauth's OAuthProvider (record of %s): %d; by "
          "both verifiers: %d, by one: %d, by none: %d"
          % (record.get("recorded"),
             sum(1 for v in vectors if PECL in v["confirmed_by"]),
             by_count.get(2, 0), by_count.get(1, 0), by_count.get(0, 0)))
    for vid, reason in report:
        print("  not confirmed: %s: %s" % (vid, reason))
    if check_only and stale:
        print("out of date: %s (run generate_verify.py)" % ", ".join(stale))
        return 1
    if not check_only and stale:
        print("wrote %s" % ", ".join(stale))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Stop as exc:
        print("generate_verify.py: " + str(exc), file=sys.stderr)
        sys.exit(2)
