/*
 * Conformance-protocol adapter backed by liboauth (Debian: liboauth-dev,
 * built with libjson-c-dev by test/interop/build-liboauth.sh).
 *
 * Reads ONE JSON request on stdin (DESIGN.md, "The conformance protocol") and
 * prints ONE JSON object {"base_string", "signature", "authorization"} as
 * liboauth computes them. With --jsonl it reads one request per line and
 * prints one result per line instead (the same code, run per line; a test
 * speed-up). A signature method or feature liboauth lacks gives
 * "unsupported": true (with a "reason"); a refusal gives "error".
 *
 * How the request is handed over: the way liboauth's own example of an
 * Authorization header does it (tests/oauthtest2.c):
 *   argv = oauth_split_url_parameters(url with the query pairs and the form
 *          appended, escaped with oauth_url_escape);
 *   oauth_add_param_to_array(oauth_nonce, oauth_timestamp, the extra
 *          protocol parameters, oauth_body_hash from oauth_body_hash_data);
 *   oauth_sign_array2_process(argv, method, http method, keys, secrets);
 *   header = "OAuth " [realm="...", ] oauth_serialize_url_sep(argv, ", ", 6).
 * liboauth has no idea of content types: like any caller, the adapter appends
 * a body to the parameters only when it is a form (media type
 * application/x-www-form-urlencoded, case-insensitive, parameters ignored).
 * Nor does it know realm: the caller writes it, as the example does.
 *
 * The base string: oauth_sign_array2_process builds it, signs it and wipes
 * it. liboauth calls its signing functions through the PLT, so this program
 * defines oauth_sign_hmac_sha1 / oauth_sign_plaintext / oauth_sign_rsa_sha1
 * itself (linked with -rdynamic): each records the message it is given, the
 * exact base string, and hands it to liboauth's own function (dlsym
 * RTLD_NEXT). Nothing here computes a base string or a signature.
 *
 * RSA: oauth_sign_array2_process hands oauth_sign_rsa_sha1 the escaped
 * "consumer_secret&token_secret" as key ("XXX okey needs to be RSA key!" in
 * its source), so its RSA path cannot work with any input. The interposed
 * function gives liboauth's oauth_sign_rsa_sha1 the PEM key instead, which is
 * that function's documented use.
 *
 * liboauth 1.0.3's deviations, as seen through this adapter (its behaviour,
 * kept so the comparison shows them; docs/interop.md has the details):
 *   - oauth_version="1.0" is always added unless already present: a request
 *     without it cannot be made (include_version false is unsupported).
 *   - Only HMAC-SHA1, RSA-SHA1 and PLAINTEXT; the body hash is SHA-1.
 *   - The Debian build uses NSS: RSA keys must be PKCS#8 ("BEGIN PRIVATE
 *     KEY"); with a PKCS#1 key ("BEGIN RSA PRIVATE KEY") oauth_sign_rsa_sha1
 *     returns NULL (the adapter reports an error).
 *   - The base string URI is argv[0] as split: scheme and host keep their
 *     case, userinfo stays, only ":80/" is removed (so https on port 80 loses
 *     its port and https on 443 keeps it), the fragment is not removed (it
 *     ends up in the last parameter's value), and "+" in the path becomes a
 *     space (RFC 5849 §3.4.1.2).
 *   - The whole URL is split at every "&" and "?": an "&" in the path or a
 *     "?" in the query starts a new parameter (§3.4.1.3.1).
 *   - Parameters are kept as decoded "name=value" strings, so a name that
 *     contains "=" is cut at it (§3.4.1.3.2).
 *   - Decoding is lenient: malformed escapes and invalid UTF-8 are signed
 *     instead of refused.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include <json-c/json.h>
#include <oauth.h>

/* ------------------------------------------------------------------------ */
/* The base string liboauth signs, recorded by the interposed functions.    */

static char *captured_base = NULL;   /* last message handed to a signing function */
static const char *rsa_pem = NULL;   /* the PEM key of the current request (RSA) */
static int rsa_failed = 0;

static void capture(const char *m) {
  free(captured_base);
  captured_base = m ? strdup(m) : NULL;
}

typedef char *(*sign_fn)(const char *, const char *);

static sign_fn real_fn(const char *name) {
  sign_fn fn = (sign_fn) dlsym(RTLD_NEXT, name);
  if (!fn) {
    fprintf(stderr, "liboauth_sign: cannot find liboauth's %s\n", name);
    exit(3);
  }
  return fn;
}

char *oauth_sign_hmac_sha1(const char *m, const char *k) {
  static sign_fn real = NULL;
  if (!real) real = real_fn("oauth_sign_hmac_sha1");
  capture(m);
  return real(m, k);
}

char *oauth_sign_plaintext(const char *m, const char *k) {
  static sign_fn real = NULL;
  if (!real) real = real_fn("oauth_sign_plaintext");
  capture(m);
  return real(m, k);
}

char *oauth_sign_rsa_sha1(const char *m, const char *k) {
  static sign_fn real = NULL;
  char *sig;
  if (!real) real = real_fn("oauth_sign_rsa_sha1");
  capture(m);
  sig = real(m, rsa_pem ? rsa_pem : k);
  if (!sig) rsa_failed = 1;
  return sig;
}

/* ------------------------------------------------------------------------ */
/* Small string builder.                                                     */

typedef struct { char *s; size_t len, cap; } buf_t;

static void buf_add(buf_t *b, const char *s) {
  size_t n = strlen(s);
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->s = realloc(b->s, b->cap);
  }
  memcpy(b->s + b->len, s, n + 1);
  b->len += n;
}

static void buf_add_escaped(buf_t *b, const char *s) {
  char *e = oauth_url_escape(s);
  buf_add(b, e);
  free(e);
}

/* ------------------------------------------------------------------------ */
/* JSON helpers.                                                             */

static const char *str_field(json_object *req, const char *name) {
  json_object *v;
  if (!json_object_object_get_ex(req, name, &v) || json_object_is_type(v, json_type_null)) return NULL;
  return json_object_get_string(v);
}

static int bool_field(json_object *req, const char *name, int dflt) {
  json_object *v;
  if (!json_object_object_get_ex(req, name, &v) || json_object_is_type(v, json_type_null)) return dflt;
  return json_object_get_boolean(v);
}

static json_object *pairs_field(json_object *req, const char *name) {
  json_object *v;
  if (!json_object_object_get_ex(req, name, &v) || !json_object_is_type(v, json_type_array)) return NULL;
  return v;
}

static json_object *result(const char *base, const char *sig, const char *auth) {
  json_object *o = json_object_new_object();
  json_object_object_add(o, "base_string", base ? json_object_new_string(base) : NULL);
  json_object_object_add(o, "signature", sig ? json_object_new_string(sig) : NULL);
  json_object_object_add(o, "authorization", auth ? json_object_new_string(auth) : NULL);
  return o;
}

static json_object *unsupported(const char *reason) {
  json_object *o = result(NULL, NULL, NULL);
  json_object_object_add(o, "unsupported", json_object_new_boolean(1));
  json_object_object_add(o, "reason", json_object_new_string(reason));
  return o;
}

static json_object *error(const char *message) {
  json_object *o = result(NULL, NULL, NULL);
  json_object_object_add(o, "error", json_object_new_string(message));
  return o;
}

/* Appends "name=value&..." (oauth_url_escape) for a JSON array of pairs. */
static void add_pairs(buf_t *b, json_object *pairs, int first) {
  size_t i, n = pairs ? json_object_array_length(pairs) : 0;
  for (i = 0; i < n; i++) {
    json_object *p = json_object_array_get_idx(pairs, i);
    if (!first || i > 0) buf_add(b, "&");
    buf_add_escaped(b, json_object_get_string(json_object_array_get_idx(p, 0)));
    buf_add(b, "=");
    buf_add_escaped(b, json_object_get_string(json_object_array_get_idx(p, 1)));
  }
}

static int is_form_type(const char *type) {
  const char *form = "application/x-www-form-urlencoded";
  size_t n = strlen(form);
  if (!type) return 0;
  while (*type == ' ' || *type == '\t') type++;
  if (strncasecmp(type, form, n) != 0) return 0;
  type += n;
  while (*type == ' ' || *type == '\t') type++;
  return *type == '\0' || *type == ';';
}

/* ------------------------------------------------------------------------ */

static json_object *sign(json_object *req) {
  const char *method_name = str_field(req, "signature_method");
  const char *url = str_field(req, "url");
  const char *http_method = str_field(req, "method");
  const char *body = str_field(req, "body");
  const char *content_type = str_field(req, "content_type");
  const char *realm = str_field(req, "realm");
  const char *token = str_field(req, "token");
  json_object *query = pairs_field(req, "query");
  json_object *form = pairs_field(req, "form");
  json_object *extra_oauth = pairs_field(req, "extra_oauth");
  int has_form = form && json_object_array_length(form) > 0;
  int is_form = has_form || (body && is_form_type(content_type));
  OAuthMethod method;
  buf_t target = {0}, params = {0}, header = {0};
  const char *hash, *frag;
  char **argv = NULL, *sig = NULL, *hdr;
  char oarg[4096];
  int argc, i;
  size_t k;
  json_object *out;

  if (!method_name || !url || !http_method) return error("request lacks signature_method, url or method");
  if (!strcmp(method_name, "HMAC-SHA1")) method = OA_HMAC;
  else if (!strcmp(method_name, "RSA-SHA1")) method = OA_RSA;
  else if (!strcmp(method_name, "PLAINTEXT")) method = OA_PLAINTEXT;
  else {
    snprintf(oarg, sizeof oarg, "liboauth has no %s", method_name);
    return unsupported(oarg);
  }
  if (!bool_field(req, "include_version", 1))
    return unsupported("liboauth always adds oauth_version (oauth_add_protocol)");

  /* url + query pairs + form, before any fragment. */
  hash = strchr(url, '#');
  frag = hash ? hash : url + strlen(url);
  {
    char *base = strndup(url, (size_t) (frag - url));
    buf_add(&target, base);
    free(base);
  }
  if (query) add_pairs(&params, query, 1);
  if (has_form) add_pairs(&params, form, params.len == 0);
  else if (is_form && body && *body) {
    if (params.len) buf_add(&params, "&");
    buf_add(&params, body);
  }
  if (params.len) {
    buf_add(&target, strchr(target.s, '?') ? "&" : "?");
    buf_add(&target, params.s);
  }
  buf_add(&target, frag);

  argc = oauth_split_url_parameters(target.s, &argv);

  snprintf(oarg, sizeof oarg, "oauth_nonce=%s", str_field(req, "nonce"));
  oauth_add_param_to_array(&argc, &argv, oarg);
  snprintf(oarg, sizeof oarg, "oauth_timestamp=%s", str_field(req, "timestamp"));
  oauth_add_param_to_array(&argc, &argv, oarg);
  for (k = 0; extra_oauth && k < json_object_array_length(extra_oauth); k++) {
    json_object *p = json_object_array_get_idx(extra_oauth, k);
    snprintf(oarg, sizeof oarg, "%s=%s", json_object_get_string(json_object_array_get_idx(p, 0)),
             json_object_get_string(json_object_array_get_idx(p, 1)));
    oauth_add_param_to_array(&argc, &argv, oarg);
  }
  if (bool_field(req, "body_hash", 0) && !is_form) {
    char *bh = oauth_body_hash_data(body ? strlen(body) : 0, body ? body : "");
    if (!bh) return error("oauth_body_hash_data failed");
    oauth_add_param_to_array(&argc, &argv, bh);
    free(bh);
  }

  rsa_pem = method == OA_RSA ? str_field(req, "rsa_private_key_pem") : NULL;
  rsa_failed = 0;
  capture(NULL);
  oauth_sign_array2_process(&argc, &argv, NULL, method, http_method,
                            str_field(req, "consumer_key"), str_field(req, "consumer_secret"),
                            token, token ? str_field(req, "token_secret") : NULL);
  if (rsa_failed) {
    oauth_free_array(&argc, &argv);
    free(target.s); free(params.s);
    return error("liboauth's oauth_sign_rsa_sha1 returned NULL: its NSS build reads only a PKCS#8 \"PRIVATE KEY\"");
  }

  for (i = argc - 1; i >= 0; i--) {
    if (!strncmp(argv[i], "oauth_signature=", 16)) { sig = argv[i] + 16; break; }
  }

  buf_add(&header, "OAuth ");
  if (realm) {
    buf_add(&header, "realm=\"");
    buf_add(&header, realm);
    buf_add(&header, "\", ");
  }
  hdr = oauth_serialize_url_sep(argc, 1, argv, ", ", 6);
  buf_add(&header, hdr);
  free(hdr);

  out = result(captured_base, sig, header.s);
  oauth_free_array(&argc, &argv);
  free(target.s); free(params.s); free(header.s);
  return out;
}

static void handle(const char *text) {
  json_object *req = json_tokener_parse(text);
  json_object *out = req && json_object_is_type(req, json_type_object) ? sign(req) : error("input is not a JSON object");
  puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
  fflush(stdout);
  json_object_put(out);
  if (req) json_object_put(req);
}

int main(int argc, char **argv) {
  char *line = NULL;
  size_t cap = 0;
  if (argc > 1 && !strcmp(argv[1], "--jsonl")) {
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) > 0) {
      if (n == 1 && line[0] == '\n') continue;
      handle(line);
    }
  } else {
    buf_t all = {0};
    char chunk[65536];
    size_t n;
    buf_add(&all, "");
    while ((n = fread(chunk, 1, sizeof chunk - 1, stdin)) > 0) {
      chunk[n] = '\0';
      buf_add(&all, chunk);
    }
    handle(all.s);
    free(all.s);
  }
  free(line);
  free(captured_base);
  return 0;
}
