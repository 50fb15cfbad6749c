package wechatpaytest

import (
	"errors"
	"strings"
	"testing"
)

// TestAEADKnownAnswers uses the vectors of the protocol document.
func TestAEADKnownAnswers(t *testing.T) {
	t.Parallel()
	const key = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		nonce, aad, plaintext, ciphertext string
	}{
		{"0123456789ab", "transaction", "hello wechatpay 你好 微信支付", "8cyLVizq736WbULJw2UFB6Y7dCqydUqOmiErpmgeDQbOxP9Gigm1lFT7pqwSgMoBlUYd"},
		{"abcdefghijkl", "certificate", `{"a":1}`, "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4="},
		{"0123456789abcdef", "", "hello", "APoZlYqWRRz+/rRoTiEaxlXUiZD8"},
	}
	for _, tc := range tests {
		got, err := Encrypt(key, tc.nonce, tc.aad, []byte(tc.plaintext))
		if err != nil {
			t.Fatalf("Encrypt(%q): %v", tc.plaintext, err)
		}
		if got != tc.ciphertext {
			t.Errorf("Encrypt(%q) = %s, want %s", tc.plaintext, got, tc.ciphertext)
		}
		plain, err := Decrypt(key, tc.nonce, tc.aad, tc.ciphertext)
		if err != nil {
			t.Fatalf("Decrypt(%s): %v", tc.ciphertext, err)
		}
		if string(plain) != tc.plaintext {
			t.Errorf("Decrypt(%s) = %q, want %q", tc.ciphertext, plain, tc.plaintext)
		}
	}
}

func TestAEADErrors(t *testing.T) {
	t.Parallel()
	const key = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name                        string
		key, nonce, aad, ciphertext string
		want                        string
	}{
		{"short key", "short", "0123456789ab", "x", "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4=", "32 bytes"},
		{"wrong aad", key, "abcdefghijkl", "transaction", "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4=", "decrypting"},
		{"wrong nonce", key, "abcdefghijkm", "certificate", "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4=", "decrypting"},
		{"not base64", key, "abcdefghijkl", "certificate", "!!", "base64"},
		{"shorter than tag", key, "abcdefghijkl", "certificate", "AAAA", "shorter than the GCM tag"},
		{"empty nonce", key, "", "certificate", "Eu6onfHUEIosXZ2dzH6+OJ3Bk51x2D4=", "nonce"},
	}
	for _, tc := range tests {
		_, err := Decrypt(tc.key, tc.nonce, tc.aad, tc.ciphertext)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one saying %q", tc.name, err, tc.want)
		}
	}
	if _, err := Encrypt("short", "0123456789ab", "", nil); !errors.Is(err, errAPIv3KeyLength) {
		t.Errorf("Encrypt with a short key: %v", err)
	}
}
