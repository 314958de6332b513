<?php
/**
 * A small OAuth 1.0 verifier built on PECL oauth's OAuthProvider (Debian:
 * php-cli, php-oauth), run as a router script of PHP's built-in web server:
 *
 *     PECL_PROVIDER_STATE=/some/dir php -S 127.0.0.1:<port> test/interop/pecl_provider.php
 *
 * Every request except the control request below is a protected resource:
 * the script constructs an OAuthProvider (which reads the Authorization
 * header itself), registers the three callbacks the extension asks for and
 * calls checkOAuthRequest() without arguments, so the extension finds the
 * method, the URL ($_SERVER: Host, REQUEST_URI, X-Forwarded-Proto), the query
 * ($_GET) and a form body ($_POST) on its own. It answers
 *
 *   200 {"ok": true, "consumer_key", "token", "signature_method"}
 *   400/401 {"ok": false, "problem", "report", "base_string", "message"}
 *
 * where the status and "report" are OAuthProvider::reportProblem()'s (PECL
 * maps parameter_absent and signature_method_rejected to 400, the rest to
 * 401) and "problem" is the oauth_problem code in the report. For
 * signature_invalid the report carries the extension's base string
 * (debug_sbs, returned as "base_string"), which the tests compare with the
 * client's.
 *
 * The control request `POST /__config` with a JSON body
 *   {"clients": {key: {"secret", "rsa_public_key_pem", "signature_methods"}},
 *    "tokens": {key: {"secret", "revoked"}},
 *    "policy": {"now", "signature_methods", "timestamp_window": {"past", "future"},
 *               "token_required", "allow_plaintext_over_http"}}
 * (the shape of a verification vector's server and policy, vectors/README.md;
 * "now": null means the real clock) replaces the configuration and empties
 * the nonce store. Configuration and nonces live in $PECL_PROVIDER_STATE,
 * since the built-in server runs each request in a fresh PHP request.
 *
 * What the callbacks decide (the parts OAuthProvider leaves to the
 * application), and nothing else:
 *   - consumerHandler: the client is known (else consumer_key_unknown); the
 *     signature method is in the policy's list and the client's own list, the
 *     client has a key for it, and PLAINTEXT comes over https unless the
 *     policy allows http (else signature_method_rejected); sets
 *     consumer_secret.
 *   - tokenHandler: the token is known (token_rejected) and not revoked
 *     (token_revoked); sets token_secret.
 *   - timestampNonceHandler: the timestamp lies in the policy's window
 *     (timestamp_refused) and the nonce was not used with the same client,
 *     token and timestamp (nonce_used). The nonce is stored only after
 *     checkOAuthRequest() accepted the whole request, so a nonce sent with a
 *     wrong signature is not used up (what vectors/README.md prefers).
 *   - Two-legged requests: with "token_required": false and no oauth_token
 *     anywhere in the request, the endpoint is declared two-legged
 *     (is2LeggedEndpoint), so the extension neither requires oauth_token nor
 *     calls the token handler. A request that does carry a token is checked
 *     as a three-legged one.
 * Everything else (which parameters are required, reading the header, the
 * query and the body, the base string, the signature) is the extension's.
 * There is no oauth_body_hash support: the extension has none.
 */
// Errors go to the server's console, never into a response. PHP 8.2 deprecates the
// dynamic properties the extension itself creates (consumer_key, ...): not reported.
ini_set('display_errors', '0');
ini_set('log_errors', '1');
error_reporting(E_ALL & ~E_DEPRECATED);

const ALL_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512', 'PLAINTEXT'];

function state_dir(): string
{
    $dir = getenv('PECL_PROVIDER_STATE');
    if (!is_string($dir) || $dir === '' || !is_dir($dir)) {
        respond(500, ['ok' => false, 'problem' => 'server_misconfigured', 'message' => 'PECL_PROVIDER_STATE must name an existing directory']);
    }
    return $dir;
}

function respond(int $status, array $body): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    exit;
}

function read_json(string $file, $default)
{
    if (!is_file($file)) {
        return $default;
    }
    $value = json_decode((string) file_get_contents($file), true);
    return $value === null ? $default : $value;
}

function write_json(string $file, $value): void
{
    file_put_contents($file, json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), LOCK_EX);
}

function default_config(): array
{
    return [
        'clients' => [],
        'tokens' => [],
        'policy' => [
            'now' => null,
            'signature_methods' => ALL_METHODS,
            'timestamp_window' => ['past' => 300, 'future' => 300],
            'token_required' => true,
            'allow_plaintext_over_http' => false,
        ],
    ];
}

/** Whether the request carries oauth_token in any of the three places. */
function carries_token(): bool
{
    if (isset($_GET['oauth_token']) || isset($_POST['oauth_token'])) {
        return true;
    }
    $auth = $_SERVER['HTTP_AUTHORIZATION'] ?? '';
    return (bool) preg_match('/^\s*OAuth\b.*(^|[\s,])oauth_token\s*=/is', $auth);
}

/** The scheme the client addressed, as the extension itself takes it. */
function request_scheme(): string
{
    $proto = $_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '';
    if ($proto !== '') {
        return strtolower($proto);
    }
    $https = $_SERVER['HTTPS'] ?? '';
    return ($https !== '' && strcasecmp($https, 'off') !== 0) ? 'https' : 'http';
}

$dir = state_dir();
$configFile = $dir . '/config.json';
$noncesFile = $dir . '/nonces.json';
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);

if ($path === '/__config') {
    if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
        respond(405, ['ok' => false, 'message' => 'POST a JSON configuration']);
    }
    $config = json_decode((string) file_get_contents('php://input'), true);
    if (!is_array($config)) {
        respond(400, ['ok' => false, 'message' => 'the configuration is not a JSON object']);
    }
    // Shallow merges: a list given (signature_methods) replaces the default list whole.
    $defaults = default_config();
    $config = [
        'clients' => $config['clients'] ?? [],
        'tokens' => $config['tokens'] ?? [],
        'policy' => array_replace($defaults['policy'], $config['policy'] ?? []),
    ];
    write_json($configFile, $config);
    write_json($noncesFile, []);
    respond(200, ['ok' => true, 'oauth' => phpversion('oauth'), 'php' => PHP_VERSION]);
}

$config = read_json($configFile, default_config());
$policy = $config['policy'];
$now = isset($policy['now']) ? (int) $policy['now'] : time();
$nonces = read_json($noncesFile, []);

try {
    $provider = new OAuthProvider();

    $provider->consumerHandler(function (OAuthProvider $p) use ($config, $policy): int {
        $client = $config['clients'][$p->consumer_key] ?? null;
        if (!is_array($client)) {
            return OAUTH_CONSUMER_KEY_UNKNOWN;
        }
        $method = (string) $p->signature_method;
        $allowed = in_array($method, $policy['signature_methods'], true)
            && (!isset($client['signature_methods']) || in_array($method, $client['signature_methods'], true));
        $isRsa = str_starts_with($method, 'RSA-');
        $hasKey = $isRsa ? isset($client['rsa_public_key_pem']) : isset($client['secret']);
        $plaintextOk = $method !== 'PLAINTEXT' || $policy['allow_plaintext_over_http'] || request_scheme() === 'https';
        if (!$allowed || !$hasKey || !$plaintextOk) {
            return OAUTH_SIGNATURE_METHOD_REJECTED;
        }
        // The extension verifies by signing again; for RSA that needs a key it has no way to take.
        $p->consumer_secret = $isRsa ? '' : (string) $client['secret'];
        return OAUTH_OK;
    });

    $provider->tokenHandler(function (OAuthProvider $p) use ($config): int {
        $token = $config['tokens'][$p->token] ?? null;
        if (!is_array($token)) {
            return OAUTH_TOKEN_REJECTED;
        }
        if (!empty($token['revoked'])) {
            return OAUTH_TOKEN_REVOKED;
        }
        $p->token_secret = (string) $token['secret'];
        return OAUTH_OK;
    });

    $provider->timestampNonceHandler(function (OAuthProvider $p) use ($policy, $now, $nonces): int {
        $ts = (string) $p->timestamp;
        $window = $policy['timestamp_window'];
        if (!ctype_digit($ts) || (int) $ts < $now - (int) $window['past'] || (int) $ts > $now + (int) $window['future']) {
            return OAUTH_BAD_TIMESTAMP;
        }
        $key = json_encode([(string) $p->consumer_key, $p->token, $ts, (string) $p->nonce]);
        return in_array($key, $nonces, true) ? OAUTH_BAD_NONCE : OAUTH_OK;
    });

    if (empty($policy['token_required']) && !carries_token()) {
        $provider->is2LeggedEndpoint(true);
    }

    $provider->checkOAuthRequest();

    // Accepted: only now is the nonce used up.
    $nonces[] = json_encode([(string) $provider->consumer_key, $provider->token, (string) $provider->timestamp, (string) $provider->nonce]);
    write_json($noncesFile, $nonces);
    respond(200, [
        'ok' => true,
        'consumer_key' => $provider->consumer_key,
        'token' => $provider->token,
        'signature_method' => $provider->signature_method,
    ]);
} catch (OAuthException $e) {
    // PECL's own answer: reportProblem() sets the status (400 for parameter_absent and
    // signature_method_rejected, 401 otherwise) and returns the oauth_problem report.
    $report = OAuthProvider::reportProblem($e);
    $status = http_response_code();
    $problem = preg_match('/^oauth_problem=([A-Za-z_]+)/', $report, $m) ? $m[1] : 'unknown_problem';
    $sbs = strpos($report, '&debug_sbs=') !== false ? substr($report, strpos($report, '&debug_sbs=') + strlen('&debug_sbs=')) : null;
    respond(is_int($status) && $status >= 400 ? $status : 500, [
        'ok' => false,
        'problem' => $problem,
        'report' => $report,
        'base_string' => $sbs,
        'message' => $e->getMessage(),
    ]);
} catch (Throwable $e) {
    respond(500, ['ok' => false, 'problem' => 'exception', 'message' => get_class($e) . ': ' . $e->getMessage()]);
}
