package signer_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"math/big"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// opaqueSigner hides the concrete key type, like a KMS or HSM key would.
type opaqueSigner struct{ key crypto.Signer }

func (o opaqueSigner) Public() crypto.PublicKey { return o.key.Public() }
func (o opaqueSigner) Sign(r io.Reader, d []byte, opts crypto.SignerOpts) ([]byte, error) {
	return o.key.Sign(r, d, opts)
}

// failingSigner always fails to sign.
type failingSigner struct{ pub crypto.PublicKey }

func (f failingSigner) Public() crypto.PublicKey { return f.pub }
func (f failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return nil, errors.New("hsm offline")
}

func TestNewSignerValidates(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	small := &rsa.PublicKey{N: new(big.Int).Rsh(key.N, 1100), E: 65537} // 948 bits
	tests := []struct {
		name          string
		mchID, serial string
		key           crypto.Signer
		wantInvalid   bool // wraps ErrInvalidKey
	}{
		{"empty mchid", "", "ABC", key, false},
		{"empty serial", "1230000109", "", key, false},
		{"quote in serial", "1230000109", `AB"C`, key, false},
		{"comma in mchid", "123,4", "ABC", key, false},
		{"newline in serial", "1230000109", "AB\nC", key, false},
		{"nil key", "1230000109", "ABC", nil, true},
		{"ecdsa key", "1230000109", "ABC", ec, true},
		{"rsa key below 2048 bits", "1230000109", "ABC", failingSigner{small}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := signer.NewSigner(tt.mchID, tt.serial, tt.key)
			if err == nil {
				t.Fatalf("NewSigner succeeded (%v), want an error", s)
			}
			if got := errors.Is(err, signer.ErrInvalidKey); got != tt.wantInvalid {
				t.Errorf("errors.Is(%v, ErrInvalidKey) = %v, want %v", err, got, tt.wantInvalid)
			}
		})
	}
}

// TestAuthorizationKnownAnswer rebuilds the header independently: its own
// message string, crypto/rsa directly, its own formatting.
func TestAuthorizationKnownAnswer(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	const (
		mchID  = "1230000109"
		serial = "3775B6A45ACD588826D15E583A95F5DD01020304"
		nonce  = "593BEC0C930BF1AFEB40B4A08C8FB242"
	)
	at := time.Unix(1554208460, 999_000_000)
	tests := []struct {
		name, method, target, body string
	}{
		{"post", "POST", "/v3/pay/transactions/native", `{"mchid":"1230000109","out_trade_no":"1217752501201407033233368018"}`},
		{"get with query", "GET", "/v3/certificates?algorithm_type=RSA", ""},
		{"base path", "GET", "/hk/v3/global/statements?date=20250101", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msg := tt.method + "\n" + tt.target + "\n1554208460\n" + nonce + "\n" + tt.body + "\n"
			sum := sha256.Sum256([]byte(msg))
			raw, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
			if err != nil {
				t.Fatal(err)
			}
			want := `WECHATPAY2-SHA256-RSA2048 mchid="1230000109",serial_no="` + serial +
				`",timestamp="1554208460",nonce_str="` + nonce +
				`",signature="` + base64.StdEncoding.EncodeToString(raw) + `"`

			for _, k := range []crypto.Signer{key, opaqueSigner{key}} {
				s, err := signer.NewSigner(mchID, serial, k)
				if err != nil {
					t.Fatal(err)
				}
				got, err := s.AuthorizationAt(tt.method, tt.target, []byte(tt.body), at, nonce)
				if err != nil {
					t.Fatalf("AuthorizationAt: %v", err)
				}
				if got != want {
					t.Errorf("AuthorizationAt with %T:\n got %s\nwant %s", k, got, want)
				}
			}
		})
	}
}

func TestAuthorizationFresh(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	s, err := signer.NewSigner("1230000109", "ABCDEF", key)
	if err != nil {
		t.Fatal(err)
	}
	if s.MchID() != "1230000109" || s.Serial() != "ABCDEF" || !s.Public().Equal(&key.PublicKey) {
		t.Errorf("accessors = %q, %q, want the constructor arguments", s.MchID(), s.Serial())
	}
	before := time.Now().Unix()
	h1, err := s.Authorization("GET", "/v3/certificates", nil)
	if err != nil {
		t.Fatal(err)
	}
	h2, err := s.Authorization("GET", "/v3/certificates", nil)
	if err != nil {
		t.Fatal(err)
	}
	after := time.Now().Unix()
	a1, err := signer.ParseAuthorization(h1)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := signer.ParseAuthorization(h2)
	if err != nil {
		t.Fatal(err)
	}
	if a1.Nonce == a2.Nonce {
		t.Errorf("two Authorization calls shared nonce %q", a1.Nonce)
	}
	if !regexp.MustCompile(`^[0-9A-Za-z]{32}$`).MatchString(a1.Nonce) {
		t.Errorf("nonce %q is not 32 alphanumerics", a1.Nonce)
	}
	ts, err := strconv.ParseInt(a1.Timestamp, 10, 64)
	if err != nil || ts < before || ts > after {
		t.Errorf("timestamp %q not within [%d, %d]", a1.Timestamp, before, after)
	}
	msg := signer.RequestMessage("GET", "/v3/certificates", ts, a1.Nonce, nil)
	if err := signer.VerifySignature(&key.PublicKey, msg, a1.Signature); err != nil {
		t.Errorf("signature of a fresh Authorization does not verify: %v", err)
	}
}

func TestAuthorizationRejectsBadInput(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	s, err := signer.NewSigner("1230000109", "ABCDEF", key)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, method, target, nonce string }{
		{"lower-case method", "post", "/v3/x", "abc"},
		{"empty method", "", "/v3/x", "abc"},
		{"full URL as target", "GET", "https://api.mch.weixin.qq.com/v3/x", "abc"},
		{"empty target", "GET", "", "abc"},
		{"empty nonce", "GET", "/v3/x", ""},
		{"newline in nonce", "GET", "/v3/x", "ab\nc"},
		{"quote in nonce", "GET", "/v3/x", `ab"c`},
	}
	for _, tt := range tests {
		if got, err := s.AuthorizationAt(tt.method, tt.target, nil, time.Unix(1, 0), tt.nonce); err == nil {
			t.Errorf("%s: AuthorizationAt succeeded with %q, want an error", tt.name, got)
		}
	}
}

func TestSignError(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	s, err := signer.NewSigner("1230000109", "ABCDEF", failingSigner{&key.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Authorization("GET", "/v3/x", nil)
	if err == nil {
		t.Fatal("Authorization succeeded with a failing key")
	}
	if want := "signer: signing with the key of serial ABCDEF: hsm offline"; err.Error() != want {
		t.Errorf("error = %q, want %q", err, want)
	}
}

// TestAuthorizationWithMessage checks the fresh header against the
// message it returns: the message is RequestMessage of the header's own
// timestamp and nonce, the signature verifies over it, and the header is
// exactly the Authorization type's String form of its fields.
func TestAuthorizationWithMessage(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	s, err := signer.NewSigner("1230000109", "ABCDEF", key)
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"a":"b"}`)
	h, msg, err := s.AuthorizationWithMessage("POST", "/v3/x?y=1", body)
	if err != nil {
		t.Fatal(err)
	}
	a, err := signer.ParseAuthorization(h)
	if err != nil {
		t.Fatal(err)
	}
	if got := a.String(); got != h {
		t.Errorf("header differs from Authorization.String of its fields:\n got %s\nwant %s", h, got)
	}
	ts, err := strconv.ParseInt(a.Timestamp, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if want := signer.RequestMessage("POST", "/v3/x?y=1", ts, a.Nonce, body); string(msg) != string(want) {
		t.Errorf("message %q, want %q", msg, want)
	}
	if err := signer.VerifySignature(&key.PublicKey, msg, a.Signature); err != nil {
		t.Errorf("signature does not verify over the returned message: %v", err)
	}
	if a.MchID != "1230000109" || a.Serial != "ABCDEF" {
		t.Errorf("mchid %q serial %q", a.MchID, a.Serial)
	}
}
