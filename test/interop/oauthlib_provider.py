#!/usr/bin/python3
"""A loopback OAuth 1.0 provider built from oauthlib's own endpoints, for the
three-legged flow test of our client helpers.

Usage: oauthlib_provider.py  (prints "PORT <n>" when ready; exits when stdin closes)

  POST /request_token   oauthlib RequestTokenEndpoint (temporary credentials, RFC 5849 §2.1)
  GET  /authorize       oauthlib AuthorizationEndpoint: the resource owner "approves"
                        (the test plays the owner) and is redirected to the callback
                        with oauth_token and oauth_verifier (RFC 5849 §2.2)
  POST /access_token    oauthlib AccessTokenEndpoint (token credentials, RFC 5849 §2.3)
  *    /resource        oauthlib ResourceEndpoint (a protected resource)

One client is known: key "interop-client-key-0001", secret "interop client secret".
Needs the Debian package python3-oauthlib.
"""
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from oauthlib.oauth1 import (
    AccessTokenEndpoint, AuthorizationEndpoint, RequestTokenEndpoint,
    RequestValidator, ResourceEndpoint,
)

CLIENT_KEY = 'interop-client-key-0001'
CLIENT_SECRET = 'interop client secret'


def printable(value):
    return bool(value) and len(value) <= 200 and all(0x21 <= ord(c) <= 0x7e for c in value)


class Validator(RequestValidator):
    enforce_ssl = False  # loopback only
    dummy_client = 'dummy-client-key-000001'
    dummy_request_token = 'dummy-request-token-0001'
    dummy_access_token = 'dummy-access-token-00001'

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.nonces = set()
        self.request_tokens = {}   # token -> {secret, callback, verifier}
        self.access_tokens = {}    # token -> secret

    # oauthlib's default format checks want 20-30 alphanumerics; ours are hex/base64url.
    def check_client_key(self, key): return printable(key)
    def check_request_token(self, token): return printable(token)
    def check_access_token(self, token): return printable(token)
    def check_nonce(self, nonce): return printable(nonce)
    def check_verifier(self, verifier): return printable(verifier)

    def validate_client_key(self, client_key, request): return client_key == CLIENT_KEY
    def get_client_secret(self, client_key, request): return CLIENT_SECRET if client_key == CLIENT_KEY else 'dummy'
    def get_default_realms(self, client_key, request): return []
    def validate_requested_realms(self, client_key, realms, request): return True
    def validate_redirect_uri(self, client_key, redirect_uri, request): return True
    def get_realms(self, token, request): return []
    def validate_realms(self, client_key, token, request, uri=None, realms=None): return True

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token or access_token)
        with self.lock:
            if key in self.nonces:
                return False
            self.nonces.add(key)
            return True

    def save_request_token(self, token, request):
        with self.lock:
            self.request_tokens[token['oauth_token']] = {
                'secret': token['oauth_token_secret'], 'callback': request.redirect_uri, 'verifier': None}

    def verify_request_token(self, token, request): return token in self.request_tokens
    def validate_request_token(self, client_key, token, request): return token in self.request_tokens

    def get_request_token_secret(self, client_key, token, request):
        entry = self.request_tokens.get(token)
        return entry['secret'] if entry else 'dummy'

    def get_redirect_uri(self, token, request): return self.request_tokens[token]['callback']

    def save_verifier(self, token, verifier, request):
        with self.lock:
            self.request_tokens[token]['verifier'] = verifier['oauth_verifier']

    def validate_verifier(self, client_key, token, verifier, request):
        entry = self.request_tokens.get(token)
        return bool(entry and entry['verifier'] and secrets.compare_digest(entry['verifier'], verifier))

    def invalidate_request_token(self, client_key, request_token, request):
        with self.lock:
            self.request_tokens.pop(request_token, None)

    def save_access_token(self, token, request):
        with self.lock:
            self.access_tokens[token['oauth_token']] = token['oauth_token_secret']

    def validate_access_token(self, client_key, token, request): return token in self.access_tokens

    def get_access_token_secret(self, client_key, token, request):
        return self.access_tokens.get(token, 'dummy')


VALIDATOR = Validator()
REQUEST_TOKEN = RequestTokenEndpoint(VALIDATOR)
AUTHORIZE = AuthorizationEndpoint(VALIDATOR)
ACCESS_TOKEN = AccessTokenEndpoint(VALIDATOR)
RESOURCE = ResourceEndpoint(VALIDATOR)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, headers, body):
        body = (body or '').encode('utf-8')
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length).decode('utf-8') if length else None
        uri = 'http://%s%s' % (self.headers['Host'], self.path)
        headers = dict(self.headers.items())
        path = urlsplit(self.path).path
        if path == '/request_token':
            h, b, s = REQUEST_TOKEN.create_request_token_response(uri, self.command, body, headers)
        elif path == '/authorize':
            # The test plays the resource owner, who approves here.
            realms, credentials = AUTHORIZE.get_realms_and_credentials(uri, self.command, body, headers)
            h, b, s = AUTHORIZE.create_authorization_response(uri, self.command, body, headers, realms, credentials)
        elif path == '/access_token':
            h, b, s = ACCESS_TOKEN.create_access_token_response(uri, self.command, body, headers)
        else:
            valid, _ = RESOURCE.validate_protected_resource_request(uri, self.command, body, headers)
            h, b, s = {'Content-Type': 'text/plain'}, 'ok' if valid else 'invalid', 200 if valid else 401
        self.answer(s, h, b)

    do_GET = do_POST = do_PUT = handle_any


def main():
    server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print('PORT %d' % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == '__main__':
    main()
