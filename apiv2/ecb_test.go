package apiv2_test

import (
	"crypto/aes"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// The ECB known answer of protocol.md.
const (
	ecbKey    = "0123456789abcdef0123456789abcdef"
	ecbAnswer = "pZwJZBLuy3mDACEQT4YTBw=="
)

func TestDecryptECBKnownAnswer(t *testing.T) {
	t.Parallel()
	ct, _ := base64.StdEncoding.DecodeString(ecbAnswer)
	got, err := apiv2.DecryptECB([]byte(ecbKey), ct)
	if err != nil || string(got) != "hello" {
		t.Fatalf("DecryptECB(known answer) = %q, %v; want hello", got, err)
	}
	// The other direction, with a test-local ECB encryption.
	if enc := encryptECB(t, []byte(ecbKey), []byte("hello")); enc != ecbAnswer {
		t.Errorf("ECB-encrypting hello = %s, want %s", enc, ecbAnswer)
	}
}

func TestDecryptRefundInfo(t *testing.T) {
	t.Parallel()
	const secret = "192006250b4c09247ec02edce69f6a2d"
	// md5 of the secret in lower-case hex, computed independently (Python hashlib).
	if k := string(apiv2.RefundKey(secret)); k != "d96eb16afdd491fa1e705096edbc2205" {
		t.Fatalf("RefundKey = %s", k)
	}
	plain := "<root><out_refund_no>R1</out_refund_no><refund_status>SUCCESS</refund_status></root>"
	reqInfo := encryptECB(t, apiv2.RefundKey(secret), []byte(plain))
	got, err := apiv2.DecryptRefundInfo(reqInfo, secret)
	if err != nil || string(got) != plain {
		t.Fatalf("DecryptRefundInfo = %q, %v", got, err)
	}
	ctBytes, _ := base64.StdEncoding.DecodeString(reqInfo)
	bad := []struct {
		name, reqInfo, secret string
	}{
		{"wrong secret", reqInfo, "other"},
		{"not base64", "!!!", secret},
		{"empty", "", secret},
		{"not whole blocks", base64.StdEncoding.EncodeToString(ctBytes[:len(ctBytes)-1]), secret},
		{"last block dropped", base64.StdEncoding.EncodeToString(ctBytes[:len(ctBytes)-16]), secret},
	}
	for _, tt := range bad {
		got, err := apiv2.DecryptRefundInfo(tt.reqInfo, tt.secret)
		if !errors.Is(err, signer.ErrDecryption) {
			t.Errorf("%s: DecryptRefundInfo = %q, %v; want ErrDecryption", tt.name, got, err)
		}
	}
	if _, err := apiv2.DecryptECB([]byte("short"), ctBytes); !errors.Is(err, signer.ErrDecryption) {
		t.Errorf("DecryptECB with a 5-byte key: %v", err)
	}
}

// encryptECB is the test's own AES-ECB with PKCS#7 padding.
func encryptECB(t *testing.T, key, plain []byte) string {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	pad := 16 - len(plain)%16
	for range pad {
		plain = append(plain, byte(pad))
	}
	out := make([]byte, len(plain))
	for i := 0; i < len(plain); i += 16 {
		block.Encrypt(out[i:i+16], plain[i:i+16])
	}
	return base64.StdEncoding.EncodeToString(out)
}
