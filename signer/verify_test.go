package signer_test

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

const platformSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"

// signedHeaders signs an answer the way WeChat Pay does, with its own code.
func signedHeaders(t testing.TB, key *rsa.PrivateKey, serial string, ts int64, nonce string, body []byte) http.Header {
	t.Helper()
	sum := sha256.Sum256([]byte(strconv.FormatInt(ts, 10) + "\n" + nonce + "\n" + string(body) + "\n"))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	h.Set("Wechatpay-Timestamp", strconv.FormatInt(ts, 10))
	h.Set("Wechatpay-Nonce", nonce)
	h.Set("Wechatpay-Signature", base64.StdEncoding.EncodeToString(sig))
	h.Set("Wechatpay-Serial", serial)
	return h
}

func TestVerifyHeaders(t *testing.T) {
	t.Parallel()
	key, other := keys(t)
	store, err := signer.NewKeyStore(map[string]*rsa.PublicKey{
		platformSerial: &key.PublicKey,
		"PUB_KEY_ID_0114232134912410000000000000": &key.PublicKey,
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	body := []byte(`{"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}`)
	good := func() http.Header {
		return signedHeaders(t, key, platformSerial, now.Unix(), "c5ac7061fccab6bf3e254dcf98995b8c", body)
	}

	tests := []struct {
		name     string
		header   func() http.Header
		body     []byte
		now      time.Time
		wantRule string // empty = passes
	}{
		{"good", good, body, now, ""},
		{"public key id", func() http.Header {
			return signedHeaders(t, key, "PUB_KEY_ID_0114232134912410000000000000", now.Unix(), "n", body)
		}, body, now, ""},
		{"signature type scheme", func() http.Header { h := good(); h.Set("Wechatpay-Signature-Type", signer.Scheme); return h }, body, now, ""},
		{"skew +300 passes", good, body, now.Add(300 * time.Second), ""},
		{"skew -300 passes", good, body, now.Add(-300 * time.Second), ""},
		{"skew +300.9 passes (whole seconds)", good, body, now.Add(300*time.Second + 900*time.Millisecond), ""},
		{"skew +301", good, body, now.Add(301 * time.Second), signer.RuleClockSkew},
		{"skew -301", good, body, now.Add(-301 * time.Second), signer.RuleClockSkew},
		{"missing timestamp", func() http.Header { h := good(); h.Del("Wechatpay-Timestamp"); return h }, body, now, signer.RuleMissingHeader},
		{"missing nonce", func() http.Header { h := good(); h.Del("Wechatpay-Nonce"); return h }, body, now, signer.RuleMissingHeader},
		{"missing signature", func() http.Header { h := good(); h.Del("Wechatpay-Signature"); return h }, body, now, signer.RuleMissingHeader},
		{"missing serial", func() http.Header { h := good(); h.Del("Wechatpay-Serial"); return h }, body, now, signer.RuleMissingHeader},
		{"empty serial", func() http.Header { h := good(); h.Set("Wechatpay-Serial", ""); return h }, body, now, signer.RuleMissingHeader},
		{"repeated nonce", func() http.Header { h := good(); h.Add("Wechatpay-Nonce", "x"); return h }, body, now, signer.RuleMalformed},
		{"non-numeric timestamp", func() http.Header { h := good(); h.Set("Wechatpay-Timestamp", "17e8"); return h }, body, now, signer.RuleMalformed},
		{"signed timestamp", func() http.Header { h := good(); h.Set("Wechatpay-Timestamp", "+1700000000"); return h }, body, now, signer.RuleMalformed},
		{"huge timestamp", func() http.Header { h := good(); h.Set("Wechatpay-Timestamp", "99999999999999999999999"); return h }, body, now, signer.RuleMalformed},
		{"unknown serial", func() http.Header { h := good(); h.Set("Wechatpay-Serial", "0000"); return h }, body, now, signer.RuleUnknownSerial},
		{"lower-case serial", func() http.Header {
			return signedHeaders(t, key, strings.ToLower(platformSerial), now.Unix(), "n", body)
		}, body, now, signer.RuleUnknownSerial},
		{"tampered body", good, []byte(`{"code_url":"weixin://wxpay/bizpayurl?pr=EVIL"}`), now, signer.RuleBadSignature},
		{"wrong key", func() http.Header { return signedHeaders(t, other, platformSerial, now.Unix(), "n", body) }, body, now, signer.RuleBadSignature},
		{"tampered nonce", func() http.Header { h := good(); h.Set("Wechatpay-Nonce", "other"); return h }, body, now, signer.RuleBadSignature},
		{"garbage base64", func() http.Header { h := good(); h.Set("Wechatpay-Signature", "!!not base64!!"); return h }, body, now, signer.RuleMalformed},
		{"short signature", func() http.Header { h := good(); h.Set("Wechatpay-Signature", "c2ln"); return h }, body, now, signer.RuleBadSignature},
		{"signature type other", func() http.Header {
			h := good()
			h.Set("Wechatpay-Signature-Type", "WECHATPAY2-SM2-WITH-SM3")
			return h
		}, body, now, signer.RuleSignatureType},
		{"signature type empty", func() http.Header { h := good(); h.Set("Wechatpay-Signature-Type", ""); return h }, body, now, signer.RuleSignatureType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := signer.VerifyHeaders(store, tt.header(), tt.body, tt.now)
			if tt.wantRule == "" {
				if err != nil {
					t.Fatalf("VerifyHeaders: %v", err)
				}
				return
			}
			if !errors.Is(err, signer.ErrVerification) {
				t.Fatalf("VerifyHeaders error = %v, want one wrapping ErrVerification", err)
			}
			ve, ok := errors.AsType[*signer.VerificationError](err)
			if !ok {
				t.Fatalf("error %T is not a *VerificationError", err)
			}
			if ve.Rule != tt.wantRule {
				t.Errorf("Rule = %q, want %q (error: %v)", ve.Rule, tt.wantRule, err)
			}
		})
	}
}

// plainVerifier is a Verifier that is not a KeyStore and returns plain errors.
type plainVerifier struct{ err error }

func (p plainVerifier) Verify(string, []byte, string) error { return p.err }

func TestVerifyHeadersCustomVerifier(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	now := time.Unix(1700000000, 0)
	h := signedHeaders(t, key, platformSerial, now.Unix(), "n", nil)
	if err := signer.VerifyHeaders(plainVerifier{}, h, nil, now); err != nil {
		t.Errorf("VerifyHeaders with an accepting verifier: %v", err)
	}
	cause := errors.New("kms unavailable")
	err := signer.VerifyHeaders(plainVerifier{cause}, h, nil, now)
	if !errors.Is(err, signer.ErrVerification) || !errors.Is(err, cause) {
		t.Errorf("error = %v, want it to wrap ErrVerification and the cause", err)
	}
	if err := signer.VerifyHeaders(nil, h, nil, now); !errors.Is(err, signer.ErrVerification) {
		t.Errorf("nil verifier: error = %v, want ErrVerification", err)
	}
}

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	key, other := keys(t)
	msg := []byte("1\nn\n\n")
	sum := sha256.Sum256(msg)
	raw, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	sig := base64.StdEncoding.EncodeToString(raw)
	tests := []struct {
		name     string
		pub      *rsa.PublicKey
		msg      []byte
		sig      string
		wantRule string
	}{
		{"good", &key.PublicKey, msg, sig, ""},
		{"other key", &other.PublicKey, msg, sig, signer.RuleBadSignature},
		{"other message", &key.PublicKey, []byte("1\nn\nx\n"), sig, signer.RuleBadSignature},
		{"url-safe base64", &key.PublicKey, msg, base64.URLEncoding.EncodeToString(raw), signer.RuleMalformed},
		{"nil key", nil, msg, sig, signer.RuleUnknownSerial},
		{"empty signature", &key.PublicKey, msg, "", signer.RuleBadSignature},
	}
	for _, tt := range tests {
		err := signer.VerifySignature(tt.pub, tt.msg, tt.sig)
		if tt.wantRule == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		ve, ok := errors.AsType[*signer.VerificationError](err)
		if !ok || ve.Rule != tt.wantRule || !errors.Is(err, signer.ErrVerification) {
			t.Errorf("%s: error = %v, want rule %q wrapping ErrVerification", tt.name, err, tt.wantRule)
		}
	}
}

func TestVerificationErrorMessage(t *testing.T) {
	t.Parallel()
	cause := errors.New("cause")
	err := &signer.VerificationError{Rule: signer.RuleClockSkew, Detail: "d", StatusCode: 200, Err: cause, Body: []byte("secret body"), Header: http.Header{"Wechatpay-Signature": {"SIG"}}}
	if got, want := err.Error(), "wechatpay: response verification failed: clock skew: d (HTTP 200): cause"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, signer.ErrVerification) || !errors.Is(err, cause) {
		t.Error("VerificationError does not unwrap to ErrVerification and its cause")
	}
	if got, want := (&signer.VerificationError{}).Error(), signer.ErrVerification.Error(); got != want {
		t.Errorf("zero Error() = %q, want %q", got, want)
	}
}

// TestProbeSignature checks a WECHATPAY/SIGNTEST/ signature (base64 or
// not) fails with an error matching ErrSignatureProbe and ErrVerification
// that names the serial, and that an ordinary bad signature is no probe.
func TestProbeSignature(t *testing.T) {
	t.Parallel()
	key, other := keys(t)
	store, err := signer.NewKeyStore(map[string]*rsa.PublicKey{platformSerial: &key.PublicKey})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	body := []byte(`{"a":1}`)
	for _, sig := range []string{"WECHATPAY/SIGNTEST/abc", "WECHATPAY/SIGNTEST/" + strings.Repeat("A", 344), "WECHATPAY/SIGNTEST/%%%"} {
		h := signedHeaders(t, key, platformSerial, now.Unix(), "n", body)
		h.Set("Wechatpay-Signature", sig)
		err := signer.VerifyHeaders(store, h, body, now)
		if !errors.Is(err, signer.ErrSignatureProbe) || !errors.Is(err, signer.ErrVerification) {
			t.Errorf("signature %.30q: err = %v, want ErrSignatureProbe and ErrVerification", sig, err)
		}
		if err != nil && (!strings.Contains(err.Error(), platformSerial) || strings.Count(err.Error(), "wechatpay:") != 1) {
			t.Errorf("message %q: want the serial and one wechatpay: prefix", err)
		}
	}
	h := signedHeaders(t, other, platformSerial, now.Unix(), "n", body)
	err = signer.VerifyHeaders(store, h, body, now)
	if !errors.Is(err, signer.ErrVerification) || errors.Is(err, signer.ErrSignatureProbe) {
		t.Errorf("wrong key: err = %v, want ErrVerification and no probe", err)
	}
	if err != nil && !strings.Contains(err.Error(), "serial "+platformSerial) {
		t.Errorf("message %q does not name the serial", err)
	}
}

// TestKeyErrorsHaveOnePrefix checks a wrapped ErrInvalidKey does not
// repeat its package prefix.
func TestKeyErrorsHaveOnePrefix(t *testing.T) {
	t.Parallel()
	_, err := signer.NewSigner("1230000109", "ABC", nil)
	if !errors.Is(err, signer.ErrInvalidKey) || strings.Count(err.Error(), "signer:") != 1 {
		t.Errorf("err = %v, want ErrInvalidKey with one signer: prefix", err)
	}
}
