<?php
/**
 * Conformance-protocol adapter backed by PECL oauth (Debian: php-cli, php-oauth).
 *
 * Reads ONE JSON request on stdin (DESIGN.md, "The conformance protocol") and
 * prints ONE JSON object {"base_string", "signature", "authorization"} as the
 * extension's OAuth class computes them, with the nonce and timestamp set
 * through setNonce()/setTimestamp(). A signature method or a feature the
 * extension lacks gives "unsupported": true (with a "reason"); an exception
 * gives "error". With --jsonl it reads one request per line and prints one
 * result per line (the same code, run per line; a test speed-up).
 *
 * How the request is handed over, the way a PHP user would:
 *   - query pairs are appended to the URL (rawurlencode), form pairs go in
 *     the $extra_parameters array of generateSignature()/getRequestHeader();
 *     a name given more than once becomes an array value, which is how the
 *     extension takes repeated names;
 *   - a body that is not a form is passed as a string (the extension then
 *     sends it and does not sign it);
 *   - the signature is generateSignature(), the Authorization header
 *     getRequestHeader(), both with the same nonce and timestamp.
 *
 * The base string: the extension keeps the one it signed only in debugInfo,
 * and fills debugInfo only after it has made an HTTP request itself. The
 * adapter therefore asks the extension's own oauth_get_sbs() for it, with the
 * protocol parameters the extension put into its header plus the same extra
 * parameters (oauth_fetch() merges them the same way: protocol parameters
 * first, then extra parameters, then the URL query overwriting both). As a
 * guard against a wrong reconstruction, it checks that the extension's
 * signature verifies over that string (hash_hmac / openssl_verify are only a
 * check: the output is always the extension's own values); if not, it
 * reports the base string as null with a "note".
 *
 * PECL oauth's deviations, as seen through this adapter (its behaviour, kept
 * so the comparison shows them; docs/interop.md has the details):
 *   - oauth_version="1.0" is always sent: setVersion('') throws "Invalid
 *     version". include_version:false is reported unsupported.
 *   - Only HMAC-SHA1, HMAC-SHA256, RSA-SHA1 and PLAINTEXT; no oauth_body_hash.
 *   - The HTTP method goes into the base string as given: "post" is not
 *     upper-cased (RFC 5849 §3.4.1.1).
 *   - A URL without a path ("https://example.com", "https://example.com?a=1")
 *     is refused instead of using "/" (§3.4.1.2).
 *   - The URL query is parsed into a PHP array: a repeated name keeps only
 *     its last value, and a query parameter replaces form parameters of the
 *     same name (§3.4.1.3.1 keeps every pair).
 *   - Parameters are sorted by their decoded names and values, not by the
 *     encoded ones ("ñame" after "oauth_...", "0" before "=") (§3.4.1.3.2).
 *   - Decoding is lenient: malformed escapes and invalid UTF-8 are signed.
 *   - The consumer secret may not be empty (the constructor throws), so a
 *     request with an empty client secret cannot be signed.
 *   - There is no realm: getRequestHeader() never writes one, so the adapter
 *     reports no Authorization header (null) when the request has a realm.
 *   - Protocol parameters beyond the standard set (oauth_callback,
 *     oauth_verifier) are only placed in the header by getRequestToken() and
 *     getAccessToken(), which send the request themselves. The adapter signs
 *     them as extra parameters and reports no Authorization header (null).
 *   - A raw form body (a string) is sent unsigned: the extension signs form
 *     parameters only when given as an array. Reported unsupported.
 */
ini_set('display_errors', 'stderr');
error_reporting(E_ALL);

const FORM = 'application/x-www-form-urlencoded';

function result($base = null, $sig = null, $auth = null, array $extra = []): array
{
    return array_merge(['base_string' => $base, 'signature' => $sig, 'authorization' => $auth], $extra);
}

function unsupported(string $reason): array
{
    return result(null, null, null, ['unsupported' => true, 'reason' => $reason]);
}

function is_form_type(?string $type): bool
{
    if ($type === null) {
        return false;
    }
    $media = strtolower(trim(explode(';', $type, 2)[0]));
    return $media === FORM;
}

function append_query(string $url, array $pairs): string
{
    if (!$pairs) {
        return $url;
    }
    $encoded = implode('&', array_map(fn ($p) => rawurlencode($p[0]) . '=' . rawurlencode($p[1]), $pairs));
    $hash = strpos($url, '#');
    $fragment = $hash === false ? '' : substr($url, $hash);
    $base = $hash === false ? $url : substr($url, 0, $hash);
    if (strpos($base, '?') === false) {
        $sep = '?';
    } elseif (str_ends_with($base, '?') || str_ends_with($base, '&')) {
        $sep = '';
    } else {
        $sep = '&';
    }
    return $base . $sep . $encoded . $fragment;
}

/** Form pairs as the array the extension takes: a repeated name becomes a list. */
function pairs_to_params(array $pairs): array
{
    $params = [];
    foreach ($pairs as [$name, $value]) {
        if (!array_key_exists($name, $params)) {
            $params[$name] = $value;
        } elseif (is_array($params[$name])) {
            $params[$name][] = $value;
        } else {
            $params[$name] = [$params[$name], $value];
        }
    }
    return $params;
}

/** The name/value pairs of an "OAuth k="v",..." header the extension built, decoded. */
function header_params(string $header): array
{
    $out = [];
    preg_match_all('/([^\s=,]+)="([^"]*)"/', substr($header, strlen('OAuth ')), $m, PREG_SET_ORDER);
    foreach ($m as [, $name, $value]) {
        $out[rawurldecode($name)] = rawurldecode($value);
    }
    return $out;
}

function sign(array $req): array
{
    $methods = [
        'HMAC-SHA1' => OAUTH_SIG_METHOD_HMACSHA1,
        'HMAC-SHA256' => OAUTH_SIG_METHOD_HMACSHA256,
        'RSA-SHA1' => OAUTH_SIG_METHOD_RSASHA1,
        'PLAINTEXT' => OAUTH_SIG_METHOD_PLAINTEXT,
    ];
    $name = $req['signature_method'] ?? '';
    if (!isset($methods[$name])) {
        return unsupported("PECL oauth has no $name");
    }
    if (($req['include_version'] ?? true) === false) {
        return unsupported('PECL oauth always sends oauth_version (setVersion rejects an empty version)');
    }

    $form = $req['form'] ?? [];
    $body = $req['body'] ?? null;
    $contentType = $req['content_type'] ?? null;
    $isForm = $form ? true : ($body !== null && is_form_type($contentType));
    if ($body !== null && $isForm) {
        return unsupported('PECL oauth signs form parameters only as an array; a raw form body string is sent unsigned');
    }
    if (($req['body_hash'] ?? false) === true && !$isForm) {
        return unsupported('PECL oauth has no oauth_body_hash');
    }

    $url = append_query($req['url'], $req['query'] ?? []);
    $extra = pairs_to_params($form);
    foreach ($req['extra_oauth'] ?? [] as [$n, $v]) {
        // Signed like any parameter; see the header comment for why there is no header then.
        $extra[$n] = $v;
    }
    // A non-form body is handed over as the string it is (sent, not signed).
    $extraArg = (!$isForm && $body !== null && !$extra) ? $body : $extra;

    $isRsa = $name === 'RSA-SHA1';
    // The constructor refuses an empty secret; RSA does not use it, so any text will do there.
    $consumerSecret = $isRsa ? 'unused-with-rsa' : (string) ($req['consumer_secret'] ?? '');
    $oauth = new OAuth($req['consumer_key'], $consumerSecret, $methods[$name], OAUTH_AUTH_TYPE_AUTHORIZATION);
    if ($isRsa) {
        $oauth->setRSACertificate($req['rsa_private_key_pem']);
    }
    if (($req['token'] ?? null) !== null) {
        $oauth->setToken($req['token'], (string) ($req['token_secret'] ?? ''));
    }
    $oauth->setNonce((string) $req['nonce']);
    $oauth->setTimestamp((string) $req['timestamp']);

    $method = $req['method'];
    $signature = $oauth->generateSignature($method, $url, $extraArg);
    if (!is_string($signature)) {
        return result(null, null, null, ['error' => 'generateSignature returned ' . var_export($signature, true)]);
    }
    $header = $oauth->getRequestHeader($method, $url, $extraArg);
    if (!is_string($header)) {
        return result(null, $signature, null, ['error' => 'getRequestHeader returned ' . var_export($header, true)]);
    }

    $sent = header_params($header);
    if (($sent['oauth_signature'] ?? null) !== $signature) {
        return result(null, $signature, $header, ['error' => 'getRequestHeader and generateSignature disagree']);
    }
    $protocol = $sent;
    unset($protocol['oauth_signature']);
    // oauth_fetch(): protocol parameters first, extra parameters do not overwrite them.
    $sbsParams = $protocol + (is_array($extraArg) ? $extraArg : []);
    $base = oauth_get_sbs($method, $url, $sbsParams);

    $out = result(is_string($base) ? $base : null, $signature, $header);
    if (($req['realm'] ?? null) !== null) {
        // The extension has no realm parameter: getRequestHeader() never writes one.
        $out['authorization'] = null;
        $out['note'] = 'PECL oauth cannot put a realm in the header';
    }
    if ($req['extra_oauth'] ?? []) {
        $out['authorization'] = null;
        $out['note'] = 'PECL oauth puts oauth_callback / oauth_verifier in a header only in getRequestToken / getAccessToken';
    }

    if (is_string($base) && !verifies($name, $base, $signature, $req)) {
        $out['base_string'] = null;
        $out['note'] = 'the reconstructed base string does not verify against the extension\'s signature';
    }
    return $out;
}

/** Self-check of the reconstructed base string (never used as output). */
function verifies(string $name, string $base, string $signature, array $req): bool
{
    $enc = fn ($s) => str_replace('%7E', '~', rawurlencode((string) $s));
    $key = $enc($req['consumer_secret'] ?? '') . '&' . $enc($req['token_secret'] ?? '');
    switch ($name) {
        case 'HMAC-SHA1':
            return base64_encode(hash_hmac('sha1', $base, $key, true)) === $signature;
        case 'HMAC-SHA256':
            return base64_encode(hash_hmac('sha256', $base, $key, true)) === $signature;
        case 'RSA-SHA1':
            $private = openssl_pkey_get_private($req['rsa_private_key_pem']);
            $public = openssl_pkey_get_public(openssl_pkey_get_details($private)['key']);
            return openssl_verify($base, base64_decode($signature), $public, OPENSSL_ALGO_SHA1) === 1;
        default:
            return true; // PLAINTEXT signs no base string
    }
}

/** One request (JSON text) to one result (JSON text). */
function run_one(string $input): string
{
    try {
        $req = json_decode($input, true, 64, JSON_THROW_ON_ERROR);
        $out = sign($req);
    } catch (Throwable $e) {
        $out = result(null, null, null, ['error' => get_class($e) . ': ' . $e->getMessage()]);
    }
    return json_encode($out, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
}

// --jsonl: one request per line, one result per line (the same code per line; a test speed-up).
if (in_array('--jsonl', $argv, true)) {
    while (($line = fgets(STDIN)) !== false) {
        if (trim($line) !== '') {
            echo run_one($line), "\n";
        }
    }
} else {
    echo run_one(stream_get_contents(STDIN)), "\n";
}
