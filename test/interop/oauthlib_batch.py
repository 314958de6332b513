#!/usr/bin/python3
"""Runs oauthlib_sign.py's adapter over many requests in one process.

Reads one conformance-protocol request per line on stdin and prints one
result per line, each produced exactly as ``oauthlib_sign.py`` produces it for
a single request (its ``sign()``, with the same error handling). Loading
oauthlib and cryptography takes most of an adapter run, so the peer matrix
(test/interop-peers.test.ts) uses this to keep the test fast; everything
about how oauthlib is driven stays in oauthlib_sign.py.
"""
import importlib.util
import json
import os
import sys

_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'oauthlib_sign.py')
_spec = importlib.util.spec_from_file_location('oauthlib_sign', _path)
adapter = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(adapter)
if not (callable(getattr(adapter, 'sign', None)) and callable(getattr(adapter, 'result', None))):
    # oauthlib_sign.py changed shape: exit, and the caller runs it once per request instead.
    sys.exit('oauthlib_batch.py: oauthlib_sign.py has no sign()/result()')


def run_one(line):
    try:
        out = adapter.sign(json.loads(line))
    except Exception as err:  # noqa: BLE001 - the protocol reports failures as data
        out = adapter.result(error='%s: %s' % (type(err).__name__, err))
    return json.dumps(out)


def main():
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(run_one(line) + '\n')
            sys.stdout.flush()


if __name__ == '__main__':
    main()
