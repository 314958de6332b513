#!/usr/bin/perl
# Conformance-protocol adapter backed by Net::OAuth (Debian: libnet-oauth-perl,
# and libcrypt-openssl-rsa-perl for RSA-SHA1).
#
# Reads ONE JSON request on stdin (DESIGN.md, "The conformance protocol") and
# prints ONE JSON object {"base_string", "signature", "authorization"} as
# Net::OAuth computes them: Net::OAuth->request($type)->new(...), ->sign,
# ->signature_base_string, ->signature, ->to_authorization_header($realm).
# A signature method or a feature Net::OAuth lacks gives "unsupported": true
# (with a "reason"); a die gives "error". With --jsonl it reads one request
# per line and prints one result per line (the same code per line; a test
# speed-up).
#
# How the request is handed over, the way a Perl user would:
#   - query pairs are appended to request_url (Net::OAuth reads the URL's
#     query itself); form pairs go in extra_params, a hash;
#   - the message type follows the protocol parameters: "protected resource"
#     with a token, "consumer" (two-legged) without one, "request token" with
#     oauth_callback and "access token" with oauth_verifier, both under
#     protocol version 1.0a (PROTOCOL_VERSION_1_0A selects the V1_0A classes
#     that carry callback and verifier);
#   - include_version false: Net::OAuth fills in version "1.0" in new(); the
#     adapter clears it through the version accessor before signing, and
#     Net::OAuth then leaves oauth_version out of base string and header.
#
# Net::OAuth's deviations, as seen through this adapter (its behaviour, kept
# so the comparison shows them; docs/interop.md has the details):
#   - normalized_request_url only drops the query: scheme and host keep their
#     case, default ports (:80, :443) and userinfo stay, the fragment stays,
#     and an empty path stays empty (RFC 5849 §3.4.1.2).
#   - The HTTP method goes in as given: "post" is not upper-cased (§3.4.1.1).
#   - The URL query is read with URI::QueryParam: ";" separates parameters
#     too, an empty segment gives a parameter with an empty name, a query
#     without any "=" ("?name") is taken as keywords and not signed, and in
#     scalar context a repeated name keeps only its first value; a query
#     parameter replaces a form parameter of the same name (§3.4.1.3.1 keeps
#     every pair as it is).
#   - The query is decoded to octets and then encoded with uri_escape_utf8,
#     which takes each octet for a Latin-1 character: UTF-8 in the URL query
#     is encoded twice ("caf%C3%A9" is signed as "caf%C3%83%C2%A9"), §3.6.
#   - The normalized parameters are sorted as joined "name=value" strings, so
#     "a=3" sorts after "a1=1" and "x=a" after "x%21y=a" (§3.4.1.3.2 sorts by
#     name, then value).
#   - An oauth_signature in the URL query is signed along (the corpus prefers
#     leaving it out; the vector is "acceptable").
#   - Decoding is lenient: malformed escapes and invalid UTF-8 are signed.
#   - extra_params is a hash: a form with a repeated name cannot be given
#     (reported unsupported), and neither can a raw form body.
#   - Only HMAC-SHA1, HMAC-SHA256, RSA-SHA1 and PLAINTEXT; no oauth_body_hash;
#     protocol parameters other than oauth_callback and oauth_verifier cannot
#     be added (extra_params refuses names starting with "oauth_"); an access
#     token request signs no extra parameters at all (AccessTokenRequest has
#     allow_extra_params 0).
use strict;
use warnings;
use JSON::PP ();
use URI::Escape qw(uri_escape_utf8);
use Net::OAuth;

my $FORM = 'application/x-www-form-urlencoded';
my %METHODS = map { $_ => 1 } qw(HMAC-SHA1 HMAC-SHA256 RSA-SHA1 PLAINTEXT);

sub result {
    my (%extra) = @_;
    return { base_string => undef, signature => undef, authorization => undef, %extra };
}

sub unsupported { return result(unsupported => JSON::PP::true, reason => $_[0]) }

sub is_form_type {
    my ($type) = @_;
    return 0 unless defined $type;
    my ($media) = split /;/, $type, 2;
    $media =~ s/^\s+|\s+$//g;
    return lc($media) eq $FORM;
}

sub append_query {
    my ($url, $pairs) = @_;
    return $url unless @$pairs;
    my $encoded = join '&', map { uri_escape_utf8($_->[0]) . '=' . uri_escape_utf8($_->[1]) } @$pairs;
    my ($base, $fragment) = $url =~ /^([^#]*)(#.*)?$/s;
    $fragment //= '';
    my $sep = $base !~ /\?/ ? '?' : $base =~ /[?&]$/ ? '' : '&';
    return $base . $sep . $encoded . $fragment;
}

sub sign_request {
    my ($req) = @_;
    my $method = $req->{signature_method} // '';
    return unsupported("Net::OAuth has no $method") unless $METHODS{$method};

    my @form = @{ $req->{form} // [] };
    my $body = $req->{body};
    my $is_form = @form ? 1 : (defined $body && is_form_type($req->{content_type}));
    return unsupported('Net::OAuth takes form parameters as a hash, not a raw body') if defined $body && $is_form;
    return unsupported('Net::OAuth has no oauth_body_hash') if $req->{body_hash} && !$is_form;

    my %extra;
    for my $pair (@form) {
        return unsupported('Net::OAuth takes form parameters as a hash: a repeated name cannot be given')
            if exists $extra{ $pair->[0] };
        $extra{ $pair->[0] } = $pair->[1];
    }

    my %oauth = map { $_->[0] => $_->[1] } @{ $req->{extra_oauth} // [] };
    my $has_token = defined $req->{token};
    my ($type, %message, $protocol);
    if (!%oauth) {
        $type = $has_token ? 'protected resource' : 'consumer';
        $protocol = Net::OAuth::PROTOCOL_VERSION_1_0;
    } elsif (keys %oauth == 1 && exists $oauth{oauth_callback} && !$has_token) {
        ($type, %message) = ('request token', callback => $oauth{oauth_callback});
        $protocol = Net::OAuth::PROTOCOL_VERSION_1_0A;
    } elsif (keys %oauth == 1 && exists $oauth{oauth_verifier} && $has_token) {
        ($type, %message) = ('access token', verifier => $oauth{oauth_verifier});
        $protocol = Net::OAuth::PROTOCOL_VERSION_1_0A;
    } else {
        return unsupported('Net::OAuth has no message type with the protocol parameters ' . join(', ', sort keys %oauth));
    }

    my %args = (
        consumer_key     => $req->{consumer_key},
        consumer_secret  => $req->{consumer_secret} // '',
        request_url      => append_query($req->{url}, $req->{query} // []),
        request_method   => $req->{method},
        signature_method => $method,
        timestamp        => $req->{timestamp},
        nonce            => $req->{nonce},
        protocol_version => $protocol,
        extra_params     => \%extra,
        %message,
    );
    if ($has_token) {
        $args{token} = $req->{token};
        $args{token_secret} = $req->{token_secret} // '';
    }
    if ($method eq 'RSA-SHA1') {
        require Crypt::OpenSSL::RSA;
        $args{signature_key} = Crypt::OpenSSL::RSA->new_private_key($req->{rsa_private_key_pem});
    }

    my $request = Net::OAuth->request($type)->new(%args);
    $request->version(undef) if defined $req->{include_version} && !$req->{include_version};
    $request->sign;
    return result(
        base_string   => $request->signature_base_string,
        signature     => $request->signature,
        authorization => $request->to_authorization_header($req->{realm}),
    );
}

my $json = JSON::PP->new->utf8->canonical;

# One request (JSON text) to one result (JSON text).
sub run_one {
    my ($input) = @_;
    # Net::OAuth warns on stderr about octets it is given; that is part of what it does.
    my $out = eval { sign_request($json->decode($input)) };
    if (!$out) {
        (my $err = $@ || 'unknown error') =~ s/\s+$//;
        $out = result(error => $err);
    }
    return $json->encode($out);
}

$| = 1;
if (@ARGV && $ARGV[0] eq '--jsonl') {
    # One request per line, one result per line (the same code per line; a test speed-up).
    while (my $line = <STDIN>) {
        next if $line =~ /^\s*$/;
        print run_one($line), "\n";
    }
} else {
    local $/;
    print run_one(scalar <STDIN>), "\n";
}
