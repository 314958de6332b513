#!/usr/bin/env python3
"""A complete, minimal conformance adapter: OAuth 1.0 signing written with the
Python standard library only, speaking the oauth1 conformance protocol.

    npx oauth1 conformance --exec "python3 conformance_adapter.py"

It reads ONE JSON request on stdin and prints ONE JSON result on stdout.
Replace sign() with a call into your own library to test it instead.
RSA methods are answered "unsupported" (the runner counts them as skipped).
"""
import base64
import hashlib
import hmac
import json
import sys
from urllib.parse import urlsplit

FORM = 'application/x-www-form-urlencoded'
UNRESERVED = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~')
HMAC_DIGESTS = {'HMAC-SHA1': hashlib.sha1, 'HMAC-SHA256': hashlib.sha256, 'HMAC-SHA512': hashlib.sha512}
BODY_DIGESTS = {'SHA1': hashlib.sha1, 'SHA256': hashlib.sha256, 'SHA512': hashlib.sha512, 'PLAINTEXT': hashlib.sha1}


def encode(text):
    """RFC 5849 §3.6: UTF-8, then %XX (uppercase) for every byte outside the unreserved set."""
    return ''.join(chr(b) if b in UNRESERVED else '%%%02X' % b for b in text.encode('utf-8'))


def decode(text):
    """Strict percent-decoding: a malformed escape or invalid UTF-8 is an error."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == '%':
            pair = text[i + 1:i + 3]
            if len(pair) != 2 or any(c not in '0123456789abcdefABCDEF' for c in pair):
                raise ValueError('malformed percent-escape')
            out.append(int(pair, 16))
            i += 3
        else:
            out.extend(text[i].encode('utf-8'))
            i += 1
    return out.decode('utf-8')  # raises on invalid UTF-8


def parse_form(text):
    """application/x-www-form-urlencoded: '+' is a space, order and repeats kept."""
    pairs = []
    for piece in text.split('&'):
        if piece:
            name, _, value = piece.partition('=')
            pairs.append((decode(name.replace('+', ' ')), decode(value.replace('+', ' '))))
    return pairs


def base_string_uri(url):
    """RFC 5849 §3.4.1.2: lowercase scheme and host, no default port, no query."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or '').lower()
    if ':' in host:
        host = '[%s]' % host  # IPv6 literal
    port = parts.port
    default = {'http': 80, 'https': 443}.get(scheme)
    authority = host if port is None or port == default else '%s:%d' % (host, port)
    return '%s://%s%s' % (scheme, authority, parts.path or '/')


def sign(req):
    method_name = req['signature_method']
    if method_name.startswith('RSA-'):
        return {'unsupported': True}
    if method_name not in HMAC_DIGESTS and method_name != 'PLAINTEXT':
        return {'unsupported': True}

    url = req['url']
    extra_query = '&'.join('%s=%s' % (encode(n), encode(v)) for n, v in req.get('query') or [])
    if extra_query:
        url += ('&' if '?' in url else '?') + extra_query
    params = parse_form(urlsplit(url).query)

    content_type = req.get('content_type') or (FORM if req.get('form') else None)
    is_form = content_type is not None and content_type.split(';')[0].strip().lower() == FORM
    body = req.get('body')
    if req.get('form'):
        body = '&'.join('%s=%s' % (encode(n), encode(v)) for n, v in req['form'])
    if is_form and body:
        params += parse_form(body)

    oauth = [('oauth_consumer_key', req['consumer_key'])]
    if req.get('token') is not None:
        oauth.append(('oauth_token', req['token']))
    oauth += [('oauth_signature_method', method_name), ('oauth_timestamp', str(req['timestamp'])),
              ('oauth_nonce', req['nonce'])]
    if req.get('include_version', True):
        oauth.append(('oauth_version', '1.0'))
    oauth += [tuple(p) for p in req.get('extra_oauth') or []]
    if req.get('body_hash') and not is_form:
        digest = BODY_DIGESTS[method_name.split('-')[-1]]((body or '').encode('utf-8')).digest()
        oauth.append(('oauth_body_hash', base64.b64encode(digest).decode('ascii')))

    # RFC 5849 §3.4.1.3.1: oauth_signature is never signed, wherever it appears.
    params = [p for p in params if p[0] != 'oauth_signature']
    # RFC 5849 §3.4.1.3.2: encode, sort by name then value, join.
    normalized = '&'.join('%s=%s' % p for p in sorted((encode(n), encode(v)) for n, v in params + oauth))
    base = '&'.join([encode(req['method'].upper()), encode(base_string_uri(url)), encode(normalized)])
    key = '%s&%s' % (encode(req.get('consumer_secret') or ''), encode(req.get('token_secret') or ''))
    if method_name == 'PLAINTEXT':
        signature = key
    else:
        signature = base64.b64encode(hmac.new(key.encode('utf-8'), base.encode('utf-8'), HMAC_DIGESTS[method_name]).digest()).decode('ascii')

    header = ['realm="%s"' % req['realm'].replace('\\', '\\\\').replace('"', '\\"')] if req.get('realm') is not None else []
    header += ['%s="%s"' % (encode(n), encode(v)) for n, v in oauth + [('oauth_signature', signature)]]
    return {'base_string': base, 'signature': signature, 'authorization': 'OAuth ' + ', '.join(header)}


def main():
    try:
        result = sign(json.load(sys.stdin))
    except Exception as err:  # a refusal is an answer too: the runner expects it for invalid vectors
        result = {'error': str(err)}
    for field in ('base_string', 'signature', 'authorization'):
        result.setdefault(field, None)
    print(json.dumps(result))


if __name__ == '__main__':
    main()
