#!/usr/bin/python3
"""One long-running oauthlib process for the property-based differential tests.

Reads one JSON object per line on stdin and prints one JSON object per line,
in order, each carrying the ``id`` it was given. Operations:

``{"id", "op": "sign", "req": <conformance-protocol request>}``
    oauthlib's ``Client`` signs the request exactly as ``oauthlib_sign.py``
    does (same module, loaded here): ``{"base_string", "signature",
    "authorization"}``, or ``"error"`` / ``"unsupported"``.

``{"id", "op": "verify", "uri", "method", "body", "headers": [[n, v], ...],
   "now": <seconds>, "creds": {...}}``
    oauthlib's own endpoints judge a received request, as
    ``oauthlib_server.py`` does over HTTP (``ResourceEndpoint``, or
    ``SignatureOnlyEndpoint`` for a request without ``oauth_token``), with the
    clock at ``now`` and a validator that knows the client and token in
    ``creds`` (``client_key``, ``client_secret``, ``token``, ``token_secret``,
    ``rsa_public_key_pem``). Answers ``{"valid": bool, "reason"}`` plus
    ``"base_string"``: the base string oauthlib's verifier computes for the
    request (null when it could not read it).

Repeated header names are joined with ", " (one field, RFC 9110 §5.3).
The validator here only relaxes oauthlib's *policy* hooks (key and nonce
format, which default to 20-30 alphanumerics); every protocol check is
oauthlib's. Each verify gets a fresh validator, so nonces never carry over
from one case to the next.

The process exits when stdin closes. Needs python3-oauthlib,
python3-cryptography and python3-jwt.
"""
import importlib.util
import json
import os
import sys

from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_HMAC_SHA512,
    SIGNATURE_PLAINTEXT, SIGNATURE_RSA_SHA1, SIGNATURE_RSA_SHA256,
    SIGNATURE_RSA_SHA512, OAuth1Error, RequestValidator, ResourceEndpoint,
    SignatureOnlyEndpoint,
)
from oauthlib.oauth1.rfc5849 import signature as sigmod
from oauthlib.oauth1.rfc5849.endpoints import base as endpoint_base

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location('oauthlib_sign', os.path.join(_here, 'oauthlib_sign.py'))
adapter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(adapter)


class FixedClock:
    """Stands in for the ``time`` module oauthlib's endpoints read."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


class Validator(RequestValidator):
    enforce_ssl = False
    allowed_signature_methods = (
        SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_HMAC_SHA512,
        SIGNATURE_RSA_SHA1, SIGNATURE_RSA_SHA256, SIGNATURE_RSA_SHA512,
        SIGNATURE_PLAINTEXT,
    )
    dummy_client = 'dummy-client'
    dummy_access_token = 'dummy-access-token'

    def __init__(self, creds):
        super().__init__()
        self.creds = creds
        self.nonces = set()

    # Policy hooks only: any non-empty value.
    def check_client_key(self, client_key):
        return bool(client_key)

    def check_access_token(self, token):
        return bool(token)

    def check_nonce(self, nonce):
        return bool(nonce)

    def validate_client_key(self, client_key, request):
        return client_key == self.creds['client_key']

    def get_client_secret(self, client_key, request):
        if client_key == self.creds['client_key']:
            return self.creds.get('client_secret') or ''
        return 'dummy-secret'

    def get_rsa_key(self, client_key, request):
        return self.creds.get('rsa_public_key_pem')

    def validate_access_token(self, client_key, token, request):
        return client_key == self.creds['client_key'] and token == self.creds.get('token')

    def get_access_token_secret(self, client_key, token, request):
        if token == self.creds.get('token'):
            return self.creds.get('token_secret') or ''
        return 'dummy-secret'

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        seen = (client_key, access_token, timestamp, nonce)
        if seen in self.nonces:
            request.validator_log['nonce'] = False
            return False
        self.nonces.add(seen)
        return True


def explain(endpoint, request, uri, method, body, headers):
    if request is None:
        try:
            endpoint._create_request(uri, method, body, headers)
        except Exception as err:  # noqa: BLE001 - reported as text
            return 'malformed request: %s' % (getattr(err, 'description', None) or err)
        return 'malformed request'
    try:
        endpoint._check_transport_security(request)
        endpoint._check_mandatory_parameters(request)
    except OAuth1Error as err:
        return err.description
    failed = [name for name, ok in request.validator_log.items() if not ok]
    return 'invalid ' + ', '.join(failed) if failed else 'refused'


def server_base_string(endpoint, uri, method, body, headers):
    """The base string oauthlib's verifier signs for this request (its own functions)."""
    try:
        request = endpoint._create_request(uri, method, body, headers)
        params = sigmod.normalize_parameters(request.params)
        return sigmod.signature_base_string(request.http_method, sigmod.base_string_uri(request.uri), params)
    except Exception:  # noqa: BLE001 - unreadable for oauthlib
        return None


def verify(op):
    try:
        return verify_unguarded(op)
    except Exception as err:  # noqa: BLE001 - oauthlib raising is a refusal too
        # (oauthlib 3.2.2 raises TypeError while logging a request with
        # oauth_* parameters in two locations: its description is a tuple.)
        return {'valid': False, 'reason': 'oauthlib raised %s: %s' % (type(err).__name__, err), 'base_string': None}


def verify_unguarded(op):
    uri, method, body = op['uri'], op['method'], op.get('body') or ''
    headers = {}
    for name, value in op.get('headers') or []:
        key = next((k for k in headers if k.lower() == name.lower()), name)
        headers[key] = value if key not in headers else headers[key] + ', ' + value
    adapter._captured.clear()  # the capturing hook of oauthlib_sign.py sees these base strings too
    endpoint_base.time = FixedClock(op['now'])
    validator = Validator(op['creds'])
    resource = ResourceEndpoint(validator)
    base_string = server_base_string(resource, uri, method, body, headers)
    valid, request = resource.validate_protected_resource_request(uri, method, body, headers)
    if valid:
        return {'valid': True, 'reason': None, 'base_string': base_string}
    if request is not None and not request.resource_owner_key:
        signature_only = SignatureOnlyEndpoint(Validator(op['creds']))
        valid, request = signature_only.validate_request(uri, method, body, headers)
        reason = None if valid else explain(signature_only, request, uri, method, body, headers)
        return {'valid': valid, 'reason': reason, 'base_string': base_string}
    return {'valid': False, 'reason': explain(resource, request, uri, method, body, headers), 'base_string': base_string}


def run_one(line):
    op = json.loads(line)
    try:
        if op.get('op') == 'sign':
            out = adapter.sign(op['req'])
        elif op.get('op') == 'verify':
            out = verify(op)
        else:
            out = {'error': 'unknown op %r' % op.get('op')}
    except Exception as err:  # noqa: BLE001 - failures travel as data
        out = {'error': '%s: %s' % (type(err).__name__, err)}
    out['id'] = op.get('id')
    return json.dumps(out)


def main():
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(run_one(line) + '\n')
            sys.stdout.flush()


if __name__ == '__main__':
    main()
