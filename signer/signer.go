package signer

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MinKeyBits is the smallest RSA modulus NewSigner accepts.
const MinKeyBits = 2048

// Signer signs APIv3 requests for one merchant. It holds the merchant id,
// the serial of the merchant API certificate and the private key (any
// crypto.Signer with an RSA public key, so keys held in a KMS or an HSM
// work). A Signer is immutable and safe for concurrent use.
type Signer struct {
	mchID  string
	serial string
	key    crypto.Signer
}

// NewSigner returns a Signer for the merchant mchID whose API certificate
// has the given serial. key must be an RSA key of at least MinKeyBits bits:
// an *rsa.PrivateKey, or any crypto.Signer whose Public method returns an
// *rsa.PublicKey and whose Sign method produces PKCS#1 v1.5 signatures
// when given crypto.SHA256 as options.
func NewSigner(mchID, serial string, key crypto.Signer) (*Signer, error) {
	if err := checkHeaderField("merchant id", mchID); err != nil {
		return nil, err
	}
	if err := checkHeaderField("serial", serial); err != nil {
		return nil, err
	}
	if key == nil {
		return nil, fmt.Errorf("signer: private key is nil: %w", ErrInvalidKey)
	}
	pub, ok := key.Public().(*rsa.PublicKey)
	if !ok || pub == nil || pub.N == nil {
		return nil, fmt.Errorf("signer: private key must be RSA (its public key is %T): %w", key.Public(), ErrInvalidKey)
	}
	if bits := pub.N.BitLen(); bits < MinKeyBits {
		return nil, fmt.Errorf("signer: RSA key has %d bits, want at least %d: %w", bits, MinKeyBits, ErrInvalidKey)
	}
	return &Signer{mchID: mchID, serial: serial, key: key}, nil
}

// MchID returns the merchant id.
func (s *Signer) MchID() string { return s.mchID }

// Serial returns the serial of the merchant API certificate.
func (s *Signer) Serial() string { return s.serial }

// Public returns the RSA public key matching the signing key.
func (s *Signer) Public() *rsa.PublicKey { return s.key.Public().(*rsa.PublicKey) }

// Sign signs message with RSA PKCS#1 v1.5 over SHA-256 and returns the
// signature in standard base64.
func (s *Signer) Sign(message []byte) (string, error) {
	sig, err := s.sign(message)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// sign returns the raw RSA PKCS#1 v1.5 SHA-256 signature of message.
func (s *Signer) sign(message []byte) ([]byte, error) {
	digest := sha256.Sum256(message)
	sig, err := s.key.Sign(rand.Reader, digest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("signer: signing with the key of serial %s: %w", s.serial, err)
	}
	return sig, nil
}

// Authorization returns the Authorization header value for a request,
// using the current time and a fresh nonce. method is the upper-case HTTP
// method, target the request target as sent on the wire (for example
// "/v3/pay/transactions/jsapi" or "/v3/certificates?algorithm_type=RSA")
// and body the exact bytes sent (nil or empty when there is no body).
func (s *Signer) Authorization(method, target string, body []byte) (string, error) {
	auth, _, err := s.AuthorizationWithMessage(method, target, body)
	return auth, err
}

// AuthorizationWithMessage is Authorization that also returns the exact
// message it signed (METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n), for
// diagnostics: a 401 SIGN_ERROR answer says what WeChat Pay thinks was
// signed, and comparing the two shows where they differ. The message holds
// no secret (it is what the server rebuilds from the request).
func (s *Signer) AuthorizationWithMessage(method, target string, body []byte) (auth string, message []byte, err error) {
	var nonce [NonceLength]byte
	if err := fillNonce(&nonce); err != nil {
		return "", nil, err
	}
	return s.authorize(method, target, body, time.Now(), nonce[:])
}

// AuthorizationAt is Authorization with a given time and nonce, for tests
// and for callers that manage their own clock. nonce must be made of
// [0-9A-Za-z] only.
func (s *Signer) AuthorizationAt(method, target string, body []byte, t time.Time, nonce string) (string, error) {
	if err := checkNonce(nonce); err != nil {
		return "", err
	}
	auth, _, err := s.authorize(method, target, body, t, []byte(nonce))
	return auth, err
}

// authorize signs one request and returns its Authorization header value
// and the signed message. Every request pays for this, so the timestamp,
// nonce and signature go into the header as bytes, without strings of
// their own.
func (s *Signer) authorize(method, target string, body []byte, t time.Time, nonce []byte) (string, []byte, error) {
	if err := checkMethod(method); err != nil {
		return "", nil, err
	}
	if target == "" || target[0] != '/' {
		return "", nil, fmt.Errorf("signer: request target %q must start with \"/\" (path and query only, no scheme or host)", target)
	}
	var tsBuf [20]byte
	ts := strconv.AppendInt(tsBuf[:0], t.Unix(), 10)
	msg := appendRequestMessage(make([]byte, 0, len(method)+len(target)+len(ts)+len(nonce)+len(body)+5), method, target, ts, nonce, body)
	sig, err := s.sign(msg)
	if err != nil {
		return "", nil, err
	}
	var sigBuf [512]byte // base64 of an RSA-2048 or -3072 signature
	sig64 := base64.StdEncoding.AppendEncode(sigBuf[:0], sig)
	return authorizationHeader(s.mchID, s.serial, ts, nonce, sig64), msg, nil
}

// authorizationHeader writes the header value:
//
//	WECHATPAY2-SHA256-RSA2048 mchid="…",serial_no="…",timestamp="…",nonce_str="…",signature="…"
//
// with the fields in this order and no spaces after the commas, in one
// allocation.
func authorizationHeader(mchID, serial string, timestamp, nonce, signature []byte) string {
	var b strings.Builder
	b.Grow(len(Scheme) + len(mchID) + len(serial) + len(timestamp) + len(nonce) + len(signature) + 60)
	b.WriteString(Scheme)
	b.WriteString(` mchid="`)
	b.WriteString(mchID)
	b.WriteString(`",serial_no="`)
	b.WriteString(serial)
	b.WriteString(`",timestamp="`)
	b.Write(timestamp)
	b.WriteString(`",nonce_str="`)
	b.Write(nonce)
	b.WriteString(`",signature="`)
	b.Write(signature)
	b.WriteString(`"`)
	return b.String()
}

// checkMethod accepts upper-case ASCII letters only: the method is signed
// verbatim and must match the wire.
func checkMethod(method string) error {
	if method == "" {
		return errors.New("signer: empty HTTP method")
	}
	for i := 0; i < len(method); i++ {
		if c := method[i]; c < 'A' || c > 'Z' {
			return fmt.Errorf("signer: HTTP method %q must be upper-case letters", method)
		}
	}
	return nil
}

// checkNonce accepts a non-empty [0-9A-Za-z] string.
func checkNonce(nonce string) error {
	if nonce == "" {
		return errors.New("signer: empty nonce")
	}
	for i := 0; i < len(nonce); i++ {
		if !isAlnum(nonce[i]) {
			return errors.New("signer: nonce must contain only [0-9A-Za-z]")
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// checkHeaderField rejects values that would break the quoted
// Authorization parameters: empty, quotes, backslashes, commas, control
// and non-ASCII characters.
func checkHeaderField(name, v string) error {
	if v == "" {
		return fmt.Errorf("signer: empty %s", name)
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == ',' {
			return fmt.Errorf("signer: %s %q contains a character not allowed in the Authorization header", name, v)
		}
	}
	return nil
}
