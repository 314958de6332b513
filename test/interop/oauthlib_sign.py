#!/usr/bin/python3
"""Conformance-protocol adapter backed by oauthlib (see DESIGN.md).

Reads ONE JSON request on stdin, prints ONE JSON object:
``{"base_string", "signature", "authorization"}`` as oauthlib's ``Client``
computes them, with the nonce and timestamp injected. A signature method
oauthlib lacks gives ``"unsupported": true``; an exception gives ``"error"``.

oauthlib's own deviations, as seen through this adapter (they are its
behaviour, kept on purpose so the comparison shows them):

* ``Client.get_oauth_params`` always sends ``oauth_version``; the adapter
  drops it when ``include_version`` is false.
* oauthlib adds ``oauth_body_hash`` by itself to every request with a
  non-form Content-Type and a body, and always with SHA-1, whatever the
  signature method (the body hash draft, §3.1, ties the hash to the method:
  SHA-256 for HMAC-SHA256 / RSA-SHA256). The adapter keeps it only when
  ``body_hash`` is true; with it, a *-SHA256 method gives a different
  ``oauth_body_hash`` than the RFC-following side.
* ``signature.collect_parameters`` percent-decodes the value of every
  parameter whose name starts with ``oauth_`` a second time, even after the
  query or form decoding already decoded it (RFC 5849 §3.4.1.3.1 decodes
  once). A query parameter ``oauth_x=%2541`` is signed as ``oauth_x=A``.
* ``Client.sign`` treats a body as a form only when the Content-Type is
  exactly ``application/x-www-form-urlencoded``; with a media-type parameter
  (``; charset=utf-8``) it raises, although RFC 5849 §3.4.1.3.1 and HTTP
  allow parameters.
* ``common.urldecode`` refuses characters outside a fixed ASCII set in a
  query or form body, so a URL with raw non-ASCII text (an IRI, such as
  ``/café?q=é``) raises; and ``base_string_uri`` keeps a raw path unencoded.
* The realm is written into the header unescaped (``realm="%s"``).
* PLAINTEXT takes a fast path that never builds a base string; the adapter
  builds the one oauthlib would have built, with oauthlib's functions.

Needs python3-oauthlib, and python3-cryptography with python3-jwt for RSA.
"""
import json
import sys
from urllib.parse import urlparse

from oauthlib import oauth1
from oauthlib.oauth1.rfc5849 import signature as sigmod
from oauthlib.oauth1.rfc5849 import utils

FORM = 'application/x-www-form-urlencoded'

# Capture the exact base string oauthlib's Client signs: Client.get_oauth_signature
# calls signature.signature_base_string through the module attribute.
_captured = []
_original_base_string = sigmod.signature_base_string


def _capturing_base_string(*args, **kwargs):
    value = _original_base_string(*args, **kwargs)
    _captured.append(value)
    return value


sigmod.signature_base_string = _capturing_base_string


def encode_pairs(pairs):
    """``name=value&...`` with RFC 5849 §3.6 encoding (oauthlib's escape)."""
    return '&'.join('%s=%s' % (utils.escape(n), utils.escape(v)) for n, v in pairs)


def append_query(url, encoded):
    if not encoded:
        return url
    base, hashmark, fragment = url.partition('#')
    if '?' not in base:
        sep = '?'
    elif base.endswith(('?', '&')):
        sep = ''
    else:
        sep = '&'
    return base + sep + encoded + hashmark + fragment


class ProtocolClient(oauth1.Client):
    """oauthlib's Client, with the protocol's include_version, extra_oauth and body_hash."""

    def __init__(self, *args, include_version=True, extra_oauth=(), body_hash=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.include_version = include_version
        self.extra_oauth = [(n, v) for n, v in extra_oauth]
        self.body_hash = body_hash

    def get_oauth_params(self, request):
        params = super().get_oauth_params(request)
        if not self.include_version:
            params = [p for p in params if p[0] != 'oauth_version']
        if not self.body_hash:
            params = [p for p in params if p[0] != 'oauth_body_hash']
        params.extend(self.extra_oauth)
        return params


def result(base_string=None, signature=None, authorization=None, **extra):
    out = {'base_string': base_string, 'signature': signature, 'authorization': authorization}
    out.update(extra)
    return out


def sign(req):
    method_name = req.get('signature_method')
    if method_name not in oauth1.Client.SIGNATURE_METHODS:
        return result(unsupported=True)

    url = append_query(req['url'], encode_pairs(req.get('query') or []))
    headers = {}
    body = None
    # An empty form list means "no form" (the vector format always has the field).
    form = req.get('form') or []
    if form and req.get('body') is not None:
        return result(error='"form" and "body" cannot both be given')
    if form:
        body = encode_pairs(form)
        headers['Content-Type'] = req.get('content_type') or FORM
    elif req.get('body') is not None:
        body = req['body']
        if req.get('content_type'):
            headers['Content-Type'] = req['content_type']

    include_version = req.get('include_version')
    client = ProtocolClient(
        req['consumer_key'],
        client_secret=req.get('consumer_secret'),
        resource_owner_key=req.get('token'),
        resource_owner_secret=req.get('token_secret'),
        signature_method=method_name,
        signature_type=oauth1.SIGNATURE_TYPE_AUTH_HEADER,
        rsa_key=req.get('rsa_private_key_pem'),
        realm=req.get('realm'),
        nonce=str(req['nonce']),
        timestamp=str(req['timestamp']),
        include_version=True if include_version is None else include_version,
        extra_oauth=req.get('extra_oauth') or [],
        body_hash=req.get('body_hash') is True,
    )

    _captured.clear()
    signed_uri, signed_headers, signed_body = client.sign(
        url, http_method=req['method'], body=body, headers=headers)
    authorization = signed_headers['Authorization']
    sent = dict(utils.parse_authorization_header(authorization))
    signature = utils.unescape(sent['oauth_signature'])

    if _captured:
        base_string = _captured[-1]
    else:
        # PLAINTEXT: build what oauthlib would have signed, from the signed request.
        params = sigmod.collect_parameters(
            uri_query=urlparse(signed_uri).query, body=signed_body, headers=signed_headers)
        base_string = sigmod.signature_base_string(
            req['method'], sigmod.base_string_uri(signed_uri),
            sigmod.normalize_parameters(params))
    return result(base_string, signature, authorization)


def main():
    try:
        req = json.load(sys.stdin)
        out = sign(req)
    except Exception as err:  # noqa: BLE001 - the protocol reports failures as data
        out = result(error='%s: %s' % (type(err).__name__, err))
    json.dump(out, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
