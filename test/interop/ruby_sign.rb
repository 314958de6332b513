# Conformance-protocol adapter backed by the oauth gem (Debian: ruby-oauth).
#
# Reads ONE JSON request on stdin (DESIGN.md, "The conformance protocol") and
# prints ONE JSON object {"base_string", "signature", "authorization"} as the
# gem computes them for a Net::HTTP request, through OAuth::Client::Helper
# (the object Net::HTTPGenericRequest#oauth! uses): Helper#header for the
# Authorization header, Helper#signature for the signature and the request
# proxy's signature_base_string for the base string. A signature method or a
# feature the gem lacks gives "unsupported": true (with a "reason"); an
# exception gives "error". With --jsonl it reads one request per line and
# prints one result per line (the same code per line; a test speed-up).
#
# How the request is handed over, the way a Ruby user would:
#   - a Net::HTTPGenericRequest with the method as given, the full URL (query
#     pairs appended) as request target and as :request_uri, the form pairs
#     or the raw body as body, and the Content-Type;
#   - OAuth::Consumer / OAuth::Token for the credentials, :private_key for
#     RSA, and the helper options :nonce, :timestamp, :realm, :oauth_callback,
#     :oauth_verifier (the only protocol parameters the helper can send
#     besides oauth_session_handle) and :oauth_version;
#   - include_version false: the helper drops every protocol parameter whose
#     value is blank, so :oauth_version => '' leaves oauth_version out;
#   - body_hash true: Helper#hash_body, the gem's own body hash. Helper is used
#     rather than oauth! because oauth! hashes every non-form POST/PUT body by
#     itself (like oauthlib), which the protocol's body_hash false excludes.
#
# The gem's deviations, as seen through this adapter (its behaviour, kept so
# the comparison shows them; docs/interop.md has the details):
#   - Only HMAC-SHA1, RSA-SHA1 and PLAINTEXT in 0.5.x.
#   - The HTTP method goes into the base string as given: "post" is not
#     upper-cased (RFC 5849 §3.4.1.1).
#   - Parameters are a Hash of decoded name => values, sorted by decoded name
#     and value, not by the encoded ones: "c2" before "c%40", "0" before "%3D"
#     (§3.4.1.3.2); this breaks the RFC's own §3.4.1.1 example.
#   - Query and form are parsed with CGI.parse: ";" separates parameters too,
#     and a "%" not followed by two hex digits is kept (signed, not refused);
#     "%zz" and invalid UTF-8 are refused only because URI.parse and String
#     raise on them.
#   - The body hash is SHA-1 for HMAC-SHA1 and RSA-SHA1; PLAINTEXT has none
#     (Signature::PLAINTEXT#body_hash is nil, so oauth_body_hash is missing).
#   - From its source, not met by a vector: form parameters are read only for
#     POST and PUT.
#   - The realm is written into the header as given, unescaped.
#   - PLAINTEXT's signature_base_string is the key, not a base string; the
#     adapter reports the base string the request proxy builds instead (the
#     same function the HMAC and RSA methods sign).
require 'json'
require 'net/http'
require 'oauth'
require 'oauth/client/helper'
require 'oauth/request_proxy/net_http'
require 'oauth/signature/hmac/sha1'
require 'oauth/signature/rsa/sha1'
require 'oauth/signature/plaintext'

FORM = 'application/x-www-form-urlencoded'.freeze
HELPER_OAUTH = { 'oauth_callback' => :oauth_callback, 'oauth_verifier' => :oauth_verifier,
                 'oauth_session_handle' => :oauth_session_handle }.freeze

def result(base = nil, sig = nil, auth = nil, extra = {})
  { 'base_string' => base, 'signature' => sig, 'authorization' => auth }.merge(extra)
end

def unsupported(reason)
  result(nil, nil, nil, 'unsupported' => true, 'reason' => reason)
end

def form_type?(type)
  !type.nil? && type.split(';', 2).first.strip.downcase == FORM
end

def encode_pairs(pairs)
  pairs.map { |n, v| "#{OAuth::Helper.escape(n)}=#{OAuth::Helper.escape(v)}" }.join('&')
end

def append_query(url, pairs)
  return url if pairs.empty?
  base, hash, fragment = url.partition('#')
  sep = if !base.include?('?') then '?'
        elsif base.end_with?('?', '&') then ''
        else '&'
        end
  base + sep + encode_pairs(pairs) + hash + fragment
end

def sign(req)
  method = req['signature_method'].to_s
  return unsupported("the oauth gem has no #{method}") unless OAuth::Signature.available_methods.key?(method.downcase)

  extra_oauth = req['extra_oauth'] || []
  unknown = extra_oauth.map(&:first).reject { |n| HELPER_OAUTH.key?(n) }
  return unsupported("OAuth::Client::Helper cannot send #{unknown.join(', ')}") unless unknown.empty?

  url = append_query(req['url'], req['query'] || [])
  form = req['form'] || []
  request = Net::HTTPGenericRequest.new(req['method'], true, true, url)
  if !form.empty?
    request.body = encode_pairs(form)
    request['Content-Type'] = req['content_type'] || FORM
  elsif !req['body'].nil?
    request.body = req['body']
    request['Content-Type'] = req['content_type'] if req['content_type']
  end
  is_form = !form.empty? || (!req['body'].nil? && form_type?(req['content_type']))

  options = {
    request_uri: url,
    consumer: OAuth::Consumer.new(req['consumer_key'], req['consumer_secret']),
    token: req['token'].nil? ? nil : OAuth::Token.new(req['token'], req['token_secret'] || ''),
    signature_method: method,
    nonce: req['nonce'].to_s,
    timestamp: req['timestamp'].to_s,
  }
  options[:realm] = req['realm'] unless req['realm'].nil?
  options[:private_key] = req['rsa_private_key_pem'] if method.start_with?('RSA-')
  options[:oauth_version] = '' if req['include_version'] == false
  extra_oauth.each { |n, v| options[HELPER_OAUTH[n]] = v }

  helper = OAuth::Client::Helper.new(request, options)
  helper.hash_body if req['body_hash'] == true && !is_form

  authorization = helper.header
  parameters = helper.oauth_parameters
  signature = helper.signature(helper.options.merge(parameters: parameters))
  proxy = OAuth::RequestProxy.proxy(request, uri: url, consumer: options[:consumer],
                                             token: options[:token], parameters: parameters)
  result(proxy.signature_base_string, signature, authorization)
end

# One request (JSON text) to one result (JSON text).
def run_one(input)
  out = begin
    sign(JSON.parse(input))
  rescue Exception => e # rubocop:disable Lint/RescueException - the protocol reports failures as data
    result(nil, nil, nil, 'error' => "#{e.class}: #{e.message}")
  end
  JSON.generate(out)
end

$stdout.sync = true
if ARGV.first == '--jsonl'
  # One request per line, one result per line (the same code per line; a test speed-up).
  $stdin.each_line { |line| puts run_one(line) unless line.strip.empty? }
else
  puts run_one($stdin.read)
end
