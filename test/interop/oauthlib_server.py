#!/usr/bin/python3
"""A loopback OAuth 1.0 resource server that verifies requests with oauthlib.

Usage: oauthlib_server.py PORT CREDENTIALS_JSON

PORT 0 picks a free port; the chosen one is printed as the first stdout line,
``PORT <n>``. CREDENTIALS_JSON is a file written by the test:

    {"client_key": "...", "client_secret": "...",
     "token": "...", "token_secret": "...",
     "rsa_public_key_pem": "-----BEGIN PUBLIC KEY-----..."}

Every request (any method, any path) is verified by oauthlib's own endpoint
machinery: ``ResourceEndpoint`` for requests that carry an ``oauth_token``,
``SignatureOnlyEndpoint`` for two-legged requests (client credentials only),
which ``ResourceEndpoint`` refuses by design. The answer is 200
``{"valid": true}`` or 401 ``{"valid": false, "reason": "..."}``.

The server exits when its stdin closes, so it never outlives the test that
spawned it.

Needs the Debian packages python3-oauthlib, python3-cryptography and
python3-jwt (RSA verification goes through PyJWT).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth1 import (
    SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_PLAINTEXT,
    SIGNATURE_RSA_SHA1, OAuth1Error, RequestValidator, ResourceEndpoint,
    SignatureOnlyEndpoint,
)


def printable(value):
    """Relaxed replacement for oauthlib's alphanumeric, 20-30 character checks."""
    return bool(value) and len(value) <= 200 and all(0x21 <= ord(c) <= 0x7e for c in value)


class Validator(RequestValidator):
    """Knows one client and one token; remembers every nonce it has seen."""

    enforce_ssl = False  # loopback http; the test never sends secrets off the machine
    allowed_signature_methods = (
        SIGNATURE_HMAC_SHA1, SIGNATURE_HMAC_SHA256, SIGNATURE_RSA_SHA1, SIGNATURE_PLAINTEXT,
    )
    dummy_client = 'dummy-client'
    dummy_access_token = 'dummy-access-token'

    def __init__(self, credentials):
        super().__init__()
        self.creds = credentials
        self.nonces = set()
        self.lock = threading.Lock()

    # Format checks (oauthlib's defaults want 20-30 alphanumerics).
    def check_client_key(self, client_key):
        return printable(client_key)

    def check_access_token(self, token):
        return printable(token)

    def check_nonce(self, nonce):
        return printable(nonce)

    # Lookups.
    def validate_client_key(self, client_key, request):
        return client_key == self.creds['client_key']

    def get_client_secret(self, client_key, request):
        if client_key == self.creds['client_key']:
            return self.creds['client_secret']
        return 'dummy-secret'

    def get_rsa_key(self, client_key, request):
        return self.creds['rsa_public_key_pem']

    def validate_access_token(self, client_key, token, request):
        return client_key == self.creds['client_key'] and token == self.creds['token']

    def get_access_token_secret(self, client_key, token, request):
        if token == self.creds['token']:
            return self.creds['token_secret']
        return 'dummy-secret'

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    # Replay protection: a nonce is accepted once (RFC 5849 §3.3).
    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        seen = (client_key, access_token, timestamp, nonce)
        with self.lock:
            if seen in self.nonces:
                request.validator_log['nonce'] = False
                return False
            self.nonces.add(seen)
        return True


def explain(endpoint, request, uri, method, body, headers):
    """Why oauthlib refused a request (its endpoints only answer True/False)."""
    if request is None:
        try:
            endpoint._create_request(uri, method, body, headers)
        except Exception as err:  # noqa: BLE001 - reported to the test as text
            return 'malformed request: %s' % (getattr(err, 'description', None) or err)
        return 'malformed request'
    try:
        endpoint._check_transport_security(request)
        endpoint._check_mandatory_parameters(request)
    except OAuth1Error as err:
        return err.description
    log = request.validator_log
    if log.get('nonce') is False:
        return 'nonce already used'
    failed = [name for name, ok in log.items() if not ok]
    return 'invalid ' + ', '.join(failed) if failed else 'refused'


def verify(validator, uri, method, body, headers):
    resource = ResourceEndpoint(validator)
    valid, request = resource.validate_protected_resource_request(uri, method, body, headers)
    if valid:
        return True, None
    if request is not None and not request.resource_owner_key:
        # Two-legged request: ResourceEndpoint insists on a token before it
        # looks at anything else (nonce untouched), so verify the signature only.
        signature_only = SignatureOnlyEndpoint(validator)
        valid, request = signature_only.validate_request(uri, method, body, headers)
        if valid:
            return True, None
        return False, explain(signature_only, request, uri, method, body, headers)
    return False, explain(resource, request, uri, method, body, headers)


def make_handler(validator):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def handle_any(self):
            length = int(self.headers.get('Content-Length') or 0)
            raw = self.rfile.read(length) if length else b''
            headers = dict(self.headers.items())
            # The URL the client addressed: scheme + Host header + request-target.
            uri = 'http://%s%s' % (self.headers.get('Host', ''), self.path)
            try:
                valid, reason = verify(validator, uri, self.command, raw.decode('utf-8'), headers)
            except Exception as err:  # noqa: BLE001 - oauthlib raises plain ValueErrors too
                valid, reason = False, 'oauthlib raised %s: %s' % (type(err).__name__, err)
            status = 200 if valid else 401
            payload = {'valid': True} if valid else {'valid': False, 'reason': reason}
            data = json.dumps(payload).encode('utf-8')
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

        def log_message(self, format, *args):  # keep the test output quiet
            pass

    return Handler


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: oauthlib_server.py PORT CREDENTIALS_JSON')
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding='utf-8') as f:
        credentials = json.load(f)
    server = ThreadingHTTPServer(('127.0.0.1', port), make_handler(Validator(credentials)))
    server.daemon_threads = True
    print('PORT %d' % server.server_address[1], flush=True)

    def stop_when_stdin_closes():
        sys.stdin.read()
        server.shutdown()

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    server.serve_forever()
    server.server_close()


if __name__ == '__main__':
    main()
