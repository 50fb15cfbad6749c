package signer

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verifier checks a WeChat Pay signature. Verify looks up the key for
// serial (a platform certificate serial or a "PUB_KEY_ID_…" public key id)
// and checks that signature, in standard base64, is a valid RSA PKCS#1
// v1.5 SHA-256 signature of message. Every error it returns wraps
// ErrVerification. Implementations must be safe for concurrent use.
// *KeyStore is the standard implementation.
type Verifier interface {
	Verify(serial string, message []byte, signature string) error
}

// DigestVerifier is a Verifier that also checks a signature given the
// SHA-256 digest of the message, so VerifyHeaders need not copy a large
// body to build the message. *KeyStore implements it.
type DigestVerifier interface {
	Verifier
	VerifyDigest(serial string, digest [32]byte, signature string) error
}

// VerifySignature checks that signature (standard base64) is a valid RSA
// PKCS#1 v1.5 SHA-256 signature of message under pub. Errors are
// *VerificationError values wrapping ErrVerification.
func VerifySignature(pub *rsa.PublicKey, message []byte, signature string) error {
	return verifyDigest(pub, sha256.Sum256(message), signature)
}

// verifyDigest is VerifySignature over an already computed SHA-256 digest.
func verifyDigest(pub *rsa.PublicKey, digest [sha256.Size]byte, signature string) error {
	if pub == nil || pub.N == nil {
		return verificationError(RuleUnknownSerial, "no public key", nil)
	}
	// Decode into a stack buffer: a 4096-bit signature is 512 bytes.
	var buf [512]byte
	dst := buf[:]
	if n := base64.StdEncoding.DecodedLen(len(signature)); n > len(buf) {
		dst = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(dst, []byte(signature))
	if err != nil {
		return verificationError(RuleMalformed, "signature is not valid base64", nil)
	}
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], dst[:n]); err != nil {
		return verificationError(RuleBadSignature, "signature does not match", err)
	}
	return nil
}

// responseDigest is the SHA-256 of ResponseMessage(timestamp, nonce, body),
// computed without copying body.
func responseDigest(timestamp, nonce string, body []byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(timestamp))
	h.Write([]byte{'\n'})
	h.Write([]byte(nonce))
	h.Write([]byte{'\n'})
	h.Write(body)
	h.Write([]byte{'\n'})
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// VerifyHeaders checks the four Wechatpay-* headers of a signed answer or
// callback against body, in this order:
//
//   - Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature and
//     Wechatpay-Serial are present, non-empty and not repeated;
//   - the timestamp is decimal and |now - timestamp| <= MaxClockSkew;
//   - Wechatpay-Signature-Type is absent or exactly Scheme;
//   - v verifies the signature under the key of the serial, over
//     ResponseMessage(timestamp, nonce, body).
//
// Every failure is a *VerificationError wrapping ErrVerification.
func VerifyHeaders(v Verifier, h http.Header, body []byte, now time.Time) error {
	if v == nil {
		return verificationError(RuleUnknownSerial, "no verifier configured", nil)
	}
	var vals [4]string
	for i, name := range [4]string{HeaderTimestamp, HeaderNonce, HeaderSignature, HeaderSerial} {
		got := h[name] // the names are already in canonical form
		switch {
		case len(got) == 0 || got[0] == "":
			return verificationError(RuleMissingHeader, name, nil)
		case len(got) > 1:
			return verificationError(RuleMalformed, name+" is repeated", nil)
		}
		vals[i] = got[0]
	}
	timestamp, nonce, signature, serial := vals[0], vals[1], vals[2], vals[3]

	if !isDecimal(timestamp) {
		return verificationError(RuleMalformed, HeaderTimestamp+" is not a decimal number", nil)
	}
	ts, _ := strconv.ParseInt(timestamp, 10, 64) // cannot fail: at most 18 digits
	if skew := now.Unix() - ts; skew > MaxClockSkew || skew < -MaxClockSkew {
		dir := "behind"
		if skew < 0 {
			dir, skew = "ahead of", -skew
		}
		return verificationError(RuleClockSkew, fmt.Sprintf("%s %d is %d s %s the local clock, more than the %d s allowed", HeaderTimestamp, ts, skew, dir, MaxClockSkew), nil)
	}
	if st, ok := h[HeaderSignatureType]; ok && (len(st) != 1 || st[0] != Scheme) {
		return verificationError(RuleSignatureType, fmt.Sprintf("%s %q is not %s", HeaderSignatureType, st, Scheme), nil)
	}
	var err error
	if dv, ok := v.(DigestVerifier); ok {
		// Hash the body in place: no copy of a large answer just to
		// prepend two header values.
		err = dv.VerifyDigest(serial, responseDigest(timestamp, nonce, body), signature)
	} else {
		err = v.Verify(serial, ResponseMessage(timestamp, nonce, body), signature)
	}
	if err == nil {
		return nil
	}
	if strings.HasPrefix(signature, ProbePrefix) {
		// Verified normally and failed, as a probe must: classify it so
		// that a caller can tell a probe from an attack.
		e := verificationError(RuleProbe, "WeChat Pay sent a "+ProbePrefix+" probe signature on purpose", ErrSignatureProbe)
		e.Serial = serial
		return e
	}
	if ve, ok := errors.AsType[*VerificationError](err); ok {
		if ve.Serial == "" {
			copied := *ve
			copied.Serial = serial
			ve = &copied
		}
		return ve
	}
	e := verificationError(RuleBadSignature, "", err)
	e.Serial = serial
	return e
}
