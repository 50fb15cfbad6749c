package signer_test

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestOAEPRoundTrip(t *testing.T) {
	t.Parallel()
	key, other := keys(t)
	for _, pt := range []string{"", "张三", "13800138000", strings.Repeat("x", 214)} {
		ct, err := signer.EncryptOAEP(&key.PublicKey, pt)
		if err != nil {
			t.Fatalf("EncryptOAEP(%d bytes): %v", len(pt), err)
		}
		raw, err := base64.StdEncoding.DecodeString(ct)
		if err != nil || len(raw) != 256 {
			t.Fatalf("ciphertext is not base64 of 256 bytes: %v", err)
		}
		// Independent decryption: crypto/rsa with SHA-1 OAEP and an empty label.
		direct, err := rsa.DecryptOAEP(sha1.New(), nil, key, raw, nil)
		if err != nil || string(direct) != pt {
			t.Errorf("rsa.DecryptOAEP = %q, %v; want %q", direct, err, pt)
		}
		got, err := signer.DecryptOAEP(key, ct)
		if err != nil || got != pt {
			t.Errorf("DecryptOAEP = %q, %v; want %q", got, err, pt)
		}
		if _, err := signer.DecryptOAEP(other, ct); !errors.Is(err, signer.ErrDecryption) {
			t.Errorf("DecryptOAEP with the wrong key: %v, want ErrDecryption", err)
		}
	}
	if _, err := signer.EncryptOAEP(&key.PublicKey, strings.Repeat("x", 215)); err == nil {
		t.Error("EncryptOAEP accepted 215 bytes under a 2048-bit key")
	}
	if _, err := signer.EncryptOAEP(nil, "x"); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("EncryptOAEP(nil key): %v, want ErrInvalidKey", err)
	}
	if _, err := signer.DecryptOAEP(key, "%%%"); !errors.Is(err, signer.ErrDecryption) {
		t.Errorf("DecryptOAEP(garbage): %v, want ErrDecryption", err)
	}
	if _, err := signer.DecryptOAEP(nil, "AAAA"); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("DecryptOAEP(nil key): %v, want ErrInvalidKey", err)
	}
}

// TestDecryptOAEPRejectsPKCS1v15 builds a PKCS#1 v1.5 (type 2) ciphertext by
// hand, so the test needs no deprecated API, and checks it is refused.
func TestDecryptOAEPRejectsPKCS1v15(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	msg := []byte("13800138000")
	k := key.Size()
	em := make([]byte, k)
	em[1] = 2
	ps := em[2 : k-len(msg)-1]
	for i := range ps {
		for ps[i] == 0 {
			var b [1]byte
			if _, err := rand.Read(b[:]); err != nil {
				t.Fatal(err)
			}
			ps[i] = b[0]
		}
	}
	copy(em[k-len(msg):], msg)
	c := new(big.Int).Exp(new(big.Int).SetBytes(em), big.NewInt(int64(key.E)), key.N)
	ct := c.FillBytes(make([]byte, k))

	// Sanity: the hand-made ciphertext is a valid v1.5 ciphertext (raw RSA decryption gives em back).
	m := new(big.Int).Exp(c, key.D, key.N)
	if string(m.FillBytes(make([]byte, k))) != string(em) {
		t.Fatal("hand-made PKCS#1 v1.5 ciphertext does not decrypt to its encoding")
	}
	if got, err := signer.DecryptOAEP(key, base64.StdEncoding.EncodeToString(ct)); !errors.Is(err, signer.ErrDecryption) {
		t.Errorf("DecryptOAEP accepted a PKCS#1 v1.5 ciphertext: %q, %v", got, err)
	}
	// And a crypto.Decrypter given as such (not *rsa.PrivateKey) works through the interface.
	var dec crypto.Decrypter = key
	ct2, err := signer.EncryptOAEP(&key.PublicKey, "ok")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := signer.DecryptOAEP(dec, ct2); err != nil || got != "ok" {
		t.Errorf("DecryptOAEP via crypto.Decrypter = %q, %v", got, err)
	}
}
