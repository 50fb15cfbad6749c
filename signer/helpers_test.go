package signer_test

import (
	"crypto/rsa"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// readFixture returns the bytes of testdata/name.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("reading fixture: %v", err)
	}
	return b
}

var (
	fixtureOnce  sync.Once
	fixtureKey   *rsa.PrivateKey // testdata/rsa_pkcs1.pem
	fixtureOther *rsa.PrivateKey // testdata/other_rsa_pkcs8.pem
	fixtureErr   error
)

// keys returns the fixture merchant key and an unrelated RSA key, parsed
// once per test binary.
func keys(t testing.TB) (key, other *rsa.PrivateKey) {
	t.Helper()
	fixtureOnce.Do(func() {
		b, err := os.ReadFile(filepath.Join("testdata", "rsa_pkcs1.pem"))
		if err != nil {
			fixtureErr = err
			return
		}
		if fixtureKey, fixtureErr = signer.LoadPrivateKey(b); fixtureErr != nil {
			return
		}
		b, err = os.ReadFile(filepath.Join("testdata", "other_rsa_pkcs8.pem"))
		if err != nil {
			fixtureErr = err
			return
		}
		fixtureOther, fixtureErr = signer.LoadPrivateKey(b)
	})
	if fixtureErr != nil {
		t.Fatalf("loading fixture keys: %v", fixtureErr)
	}
	return fixtureKey, fixtureOther
}
