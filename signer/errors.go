package signer

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrVerification is the sentinel behind every response or callback
// signature failure: a missing header, clock skew, an unknown serial, an
// unsupported signature type, a malformed or wrong signature, a statement
// digest mismatch. Match it with errors.Is; use errors.As with
// *VerificationError to learn which rule failed.
var ErrVerification = errors.New("wechatpay: response verification failed")

// ErrInvalidKey is wrapped by the key loaders and constructors when the
// input is not a usable key of the expected kind (garbage, wrong algorithm,
// a certificate where a private key was expected, an encrypted PEM...).
var ErrInvalidKey = errors.New("invalid key")

// ErrSignatureProbe matches, with errors.Is, a verification failure caused
// by one of the deliberately wrong signatures WeChat Pay sends to test its
// merchants' verification (a Wechatpay-Signature starting with
// ProbePrefix). Such an error always matches ErrVerification too. A probe
// is not an attack: a query may simply be repeated; a mutation that got a
// probe answer was executed, so query its state before repeating it.
var ErrSignatureProbe = errors.New("wechatpay: signature probe (WECHATPAY/SIGNTEST)")

// ProbePrefix starts every probe signature WeChat Pay sends on purpose.
const ProbePrefix = "WECHATPAY/SIGNTEST/"

// The rules a signed answer must satisfy, as reported in
// VerificationError.Rule.
const (
	RuleMissingHeader = "missing header"  // a required Wechatpay-* header is absent or empty
	RuleClockSkew     = "clock skew"      // |now - Wechatpay-Timestamp| > MaxClockSkew
	RuleUnknownSerial = "unknown serial"  // no key for Wechatpay-Serial (exact, case-sensitive)
	RuleSignatureType = "signature type"  // Wechatpay-Signature-Type is not Scheme
	RuleBadSignature  = "bad signature"   // the RSA signature does not verify
	RuleStatementSHA1 = "statement sha1"  // the statement body does not match Wechatpay-Statement-Sha1
	RuleMalformed     = "malformed"       // a header or the signature is not well formed
	RuleProbe         = "signature probe" // a WECHATPAY/SIGNTEST/ probe signature (also matches ErrSignatureProbe)
)

// VerificationError describes a failed verification of a signed answer or
// callback. It never carries key material. Its Unwrap method returns both
// ErrVerification and the underlying cause, so errors.Is(err,
// ErrVerification) always holds.
type VerificationError struct {
	// Rule is the rule that failed, one of the Rule* constants.
	Rule string
	// Detail says what exactly was wrong (a header name, a serial, the
	// measured skew...). It never contains secrets.
	Detail string
	// Serial is the Wechatpay-Serial the answer named, when it got that far.
	Serial string
	// StatusCode, Header and Body describe the answer that failed
	// verification when the error comes from an HTTP exchange (the verifier
	// middleware fills them in); they are zero for a bare VerifyHeaders call.
	// Body may be a truncated snapshot.
	StatusCode int
	Header     http.Header
	Body       []byte
	// Err is the underlying cause, if any (for example rsa.ErrVerification).
	Err error
}

// Error reports the rule, the detail and the cause. It does not print the
// header values or the body.
func (e *VerificationError) Error() string {
	var b strings.Builder
	b.WriteString(ErrVerification.Error())
	if e.Rule != "" {
		b.WriteString(": ")
		b.WriteString(e.Rule)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Serial != "" {
		b.WriteString(" (serial ")
		b.WriteString(e.Serial)
		b.WriteString(")")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	if id := e.Header.Get("Request-ID"); id != "" {
		b.WriteString(" (request id ")
		b.WriteString(id)
		b.WriteString(")")
	}
	if e.Err != nil && e.Err != ErrSignatureProbe {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "wechatpay: "))
	}
	return b.String()
}

// Unwrap returns ErrVerification and, when present, the cause.
func (e *VerificationError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrVerification}
	}
	return []error{ErrVerification, e.Err}
}

// verificationError builds a *VerificationError for rule.
func verificationError(rule, detail string, cause error) *VerificationError {
	return &VerificationError{Rule: rule, Detail: detail, Err: cause}
}
