package apiv2

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strings"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// The sign types of APIv2, as written in the sign_type field.
const (
	SignTypeMD5        = "MD5"         // the default when sign_type is absent
	SignTypeHMACSHA256 = "HMAC-SHA256" // sign_type=HMAC-SHA256
)

// Field names with a meaning to the sign.
const (
	FieldSign     = "sign"
	FieldSignType = "sign_type"
	FieldNonce    = "nonce_str"
)

// Rules reported in signer.VerificationError.Rule by Verify, beside
// signer.RuleBadSignature.
const (
	RuleMissingSign = "missing sign"   // the sign field is absent or empty
	RuleSignFormat  = "malformed sign" // the sign is neither 32 nor 64 hex characters
)

// SignTypeOf returns the sign type fields asks for: the value of sign_type,
// or SignTypeMD5 when it is absent or empty. Any other value is an error.
func SignTypeOf(fields map[string]string) (string, error) {
	switch t := fields[FieldSignType]; t {
	case "", SignTypeMD5:
		return SignTypeMD5, nil
	case SignTypeHMACSHA256:
		return SignTypeHMACSHA256, nil
	default:
		return "", fmt.Errorf("apiv2: unsupported sign_type %q (want %s or %s)", t, SignTypeMD5, SignTypeHMACSHA256)
	}
}

// Sign returns the sign of fields with secret, in upper-case hex: the keys
// sorted byte-wise, "sign" and empty values skipped, k=v joined with "&"
// (no URL-encoding), "&key=<secret>" appended, then MD5, or HMAC-SHA256
// keyed with secret. signType is SignTypeMD5 or SignTypeHMACSHA256.
func Sign(fields map[string]string, secret, signType string) (string, error) {
	var h hash.Hash
	switch signType {
	case SignTypeMD5:
		h = md5.New()
	case SignTypeHMACSHA256:
		h = hmac.New(sha256.New, []byte(secret))
	default:
		return "", fmt.Errorf("apiv2: unsupported sign type %q (want %s or %s)", signType, SignTypeMD5, SignTypeHMACSHA256)
	}
	writeSignString(h, fields, secret)
	var sum [sha256.Size]byte
	out := h.Sum(sum[:0])
	return strings.ToUpper(hex.EncodeToString(out)), nil
}

// writeSignString writes k1=v1&k2=v2…&key=secret to w.
func writeSignString(w hash.Hash, fields map[string]string, secret string) {
	keys := make([]string, 0, len(fields))
	for k, v := range fields {
		if k != FieldSign && v != "" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	buf := make([]byte, 0, 512)
	for _, k := range keys {
		buf = append(buf, k...)
		buf = append(buf, '=')
		buf = append(buf, fields[k]...)
		buf = append(buf, '&')
	}
	buf = append(buf, "key="...)
	buf = append(buf, secret...)
	w.Write(buf)
}

// Verify checks the sign field of fields against secret. The sign type is
// inferred from the sign's length, as WeChat Pay may sign an answer or a
// notification with another type than the request used: 32 hex characters
// are MD5, 64 are HMAC-SHA256. An absent or empty sign fails: verification
// is never skipped. Failures are *signer.VerificationError values matching
// signer.ErrVerification.
func Verify(fields map[string]string, secret string) error {
	got := fields[FieldSign]
	var signType string
	switch len(got) {
	case 0:
		return &signer.VerificationError{Rule: RuleMissingSign, Detail: "the answer has no sign field"}
	case 2 * md5.Size:
		signType = SignTypeMD5
	case 2 * sha256.Size:
		signType = SignTypeHMACSHA256
	default:
		return &signer.VerificationError{Rule: RuleSignFormat, Detail: fmt.Sprintf("sign has %d characters, want 32 (MD5) or 64 (HMAC-SHA256)", len(got))}
	}
	want, err := Sign(fields, secret, signType)
	if err != nil {
		return &signer.VerificationError{Rule: RuleSignFormat, Err: err}
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(strings.ToUpper(got))) != 1 {
		return &signer.VerificationError{Rule: signer.RuleBadSignature, Detail: signType + " sign does not match"}
	}
	return nil
}
