package signer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/signer"
)

const apiV3Key = "0123456789abcdef0123456789abcdef"

// The known-answer vectors of protocol.md.
var aeadVectors = []struct {
	name, nonce, aad, plaintext, ciphertext string
}{
	{"transaction", "0123456789ab", "transaction", "hello wechatpay 你好 微信支付", "8cyLVizq736WbULJw2UFB6Y7dCqydUqOmiErpmgeDQbOxP9Gigm1lFT7pqwSgMoBlUYd"},
	{"certificate", "abcdefghijkl", "certificate", `{"a":1}`, "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4="},
	{"16-byte nonce, empty aad", "0123456789abcdef", "", "hello", "APoZlYqWRRz+/rRoTiEaxlXUiZD8"},
}

func TestAEADKnownAnswers(t *testing.T) {
	t.Parallel()
	for _, v := range aeadVectors {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			ct, err := signer.EncryptAEAD(apiV3Key, v.nonce, v.aad, []byte(v.plaintext))
			if err != nil || ct != v.ciphertext {
				t.Errorf("EncryptAEAD = %q, %v; want %q", ct, err, v.ciphertext)
			}
			pt, err := signer.DecryptAEAD(apiV3Key, v.nonce, v.aad, v.ciphertext)
			if err != nil || string(pt) != v.plaintext {
				t.Errorf("DecryptAEAD = %q, %v; want %q", pt, err, v.plaintext)
			}
		})
	}
}

func TestDecryptAEADFailures(t *testing.T) {
	t.Parallel()
	v := aeadVectors[0]
	tests := []struct {
		name, key, nonce, aad, ct string
		want                      error
	}{
		{"wrong aad", apiV3Key, v.nonce, "certificate", v.ciphertext, signer.ErrDecryption},
		{"wrong nonce", apiV3Key, "0123456789ac", v.aad, v.ciphertext, signer.ErrDecryption},
		{"wrong key", "0123456789abcdef0123456789abcdeF", v.nonce, v.aad, v.ciphertext, signer.ErrDecryption},
		{"tampered ciphertext", apiV3Key, v.nonce, v.aad, "9" + v.ciphertext[1:], signer.ErrDecryption},
		{"not base64", apiV3Key, v.nonce, v.aad, "!!", signer.ErrDecryption},
		{"shorter than tag", apiV3Key, v.nonce, v.aad, "AAAA", signer.ErrDecryption},
		{"short key", "short", v.nonce, v.aad, v.ciphertext, signer.ErrInvalidKey},
	}
	for _, tt := range tests {
		_, err := signer.DecryptAEAD(tt.key, tt.nonce, tt.aad, tt.ct)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), tt.key) {
			t.Errorf("%s: error %q reveals the key", tt.name, err)
		}
	}
	if _, err := signer.DecryptAEAD(apiV3Key, "", "", v.ciphertext); err == nil {
		t.Error("DecryptAEAD accepted an empty nonce")
	}
	if _, err := signer.EncryptAEAD("short", "0123456789ab", "", nil); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("EncryptAEAD with a short key: %v, want ErrInvalidKey", err)
	}
}
