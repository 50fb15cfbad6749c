package signer_test

import (
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestLoadPrivateKey(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	cert := readFixture(t, "rsa_cert.pem")
	pkcs8 := readFixture(t, "rsa_pkcs8.pem")
	tests := []struct {
		name    string
		data    []byte
		wantErr string // substring; empty = success (key must equal the fixture)
	}{
		{"PKCS#1", readFixture(t, "rsa_pkcs1.pem"), ""},
		{"PKCS#8", pkcs8, ""},
		{"certificate before key in one file", append(append([]byte{}, cert...), pkcs8...), ""},
		{"CRLF line endings", []byte(strings.ReplaceAll(string(pkcs8), "\n", "\r\n")), ""},
		{"certificate", cert, `found PEM ["CERTIFICATE"] where a private key was expected`},
		{"public key", readFixture(t, "rsa_spki.pem"), `found PEM ["PUBLIC KEY"]`},
		{"encrypted PKCS#8", readFixture(t, "rsa_pkcs8_encrypted.pem"), "encrypted"},
		{"encrypted PKCS#1", readFixture(t, "rsa_pkcs1_encrypted.pem"), "encrypted"},
		{"EC SEC1", readFixture(t, "ec_sec1.pem"), `found PEM ["EC PRIVATE KEY"]`},
		{"EC PKCS#8", readFixture(t, "ec_pkcs8.pem"), "holds a ECDSA key, want RSA"},
		{"Ed25519 PKCS#8", readFixture(t, "ed25519_pkcs8.pem"), "holds a Ed25519 key, want RSA"},
		{"empty", nil, "no PEM block found"},
		{"garbage", []byte("not a key at all"), "no PEM block found"},
		{"corrupt body", []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "parsing PRIVATE KEY PEM block"},
		{"PKCS#1 label on PKCS#8 body", []byte(strings.ReplaceAll(string(pkcs8), "PRIVATE KEY", "RSA PRIVATE KEY")), "parsing RSA PRIVATE KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := signer.LoadPrivateKey(tt.data)
			checkLoad(t, err, tt.wantErr)
			if err == nil && !got.Equal(key) {
				t.Error("loaded key differs from the fixture key")
			}
			if err != nil && strings.Contains(err.Error(), "MII") {
				t.Errorf("error %q quotes key material", err)
			}
		})
	}
}

func TestLoadPublicKey(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{"SPKI", readFixture(t, "rsa_spki.pem"), ""},
		{"PKCS#1", readFixture(t, "rsa_pkcs1_pub.pem"), ""},
		{"certificate", readFixture(t, "rsa_cert.pem"), ""},
		{"private key", readFixture(t, "rsa_pkcs8.pem"), `found PEM ["PRIVATE KEY"] where a public key or certificate was expected`},
		{"EC SPKI", readFixture(t, "ec_spki.pem"), "holds a ECDSA key, want RSA"},
		{"EC certificate", readFixture(t, "ec_cert.pem"), "CERTIFICATE PEM block holds a ECDSA key"},
		{"empty", []byte{}, "no PEM block found"},
		{"corrupt", []byte("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"), "parsing PUBLIC KEY"},
		{"corrupt certificate", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "parsing CERTIFICATE"},
		{"corrupt PKCS#1", []byte("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n"), "parsing RSA PUBLIC KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := signer.LoadPublicKey(tt.data)
			checkLoad(t, err, tt.wantErr)
			if err == nil && !got.Equal(&key.PublicKey) {
				t.Error("loaded key differs from the fixture key")
			}
		})
	}
}

func TestLoadCertificate(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	cert, err := signer.LoadCertificate(readFixture(t, "rsa_cert.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := signer.CertificateSerial(cert), "3775B6A45ACD588826D15E583A95F5DD01020304"; got != want {
		t.Errorf("serial = %q, want %q", got, want)
	}
	if pub, ok := cert.PublicKey.(*rsa.PublicKey); !ok || !pub.Equal(&key.PublicKey) {
		t.Error("certificate key differs from the fixture key")
	}
	for name, data := range map[string][]byte{
		"private key": readFixture(t, "rsa_pkcs1.pem"),
		"public key":  readFixture(t, "rsa_spki.pem"),
		"garbage":     []byte("garbage"),
		"corrupt":     []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
	} {
		if _, err := signer.LoadCertificate(data); !errors.Is(err, signer.ErrInvalidKey) {
			t.Errorf("%s: error = %v, want ErrInvalidKey", name, err)
		}
	}
}

func TestLoadFiles(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.pem")
	garbage := filepath.Join(dir, "garbage.pem")
	if err := os.WriteFile(garbage, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}

	priv, err := signer.LoadPrivateKeyFile(filepath.Join("testdata", "rsa_pkcs8.pem"))
	if err != nil || !priv.Equal(key) {
		t.Errorf("LoadPrivateKeyFile: %v", err)
	}
	pub, err := signer.LoadPublicKeyFile(filepath.Join("testdata", "rsa_cert.pem"))
	if err != nil || !pub.Equal(&key.PublicKey) {
		t.Errorf("LoadPublicKeyFile: %v", err)
	}
	cert, err := signer.LoadCertificateFile(filepath.Join("testdata", "rsa_cert.pem"))
	if err != nil || cert == nil {
		t.Errorf("LoadCertificateFile: %v", err)
	}
	for _, p := range []string{missing, garbage} {
		_, err1 := signer.LoadPrivateKeyFile(p)
		_, err2 := signer.LoadPublicKeyFile(p)
		_, err3 := signer.LoadCertificateFile(p)
		for i, err := range []error{err1, err2, err3} {
			if err == nil || !strings.Contains(err.Error(), p) {
				t.Errorf("loader %d on %s: error %v does not name the file", i, p, err)
			}
			if p == missing && !errors.Is(err, os.ErrNotExist) {
				t.Errorf("loader %d: error %v does not wrap os.ErrNotExist", i, err)
			}
			if p == garbage && !errors.Is(err, signer.ErrInvalidKey) {
				t.Errorf("loader %d: error %v does not wrap ErrInvalidKey", i, err)
			}
		}
	}
}

// checkLoad asserts a loader outcome: success when wantErr is empty, else
// an ErrInvalidKey-wrapping error containing wantErr.
func checkLoad(t *testing.T, err error, wantErr string) {
	t.Helper()
	if wantErr == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want one containing %q", wantErr)
	}
	if !errors.Is(err, signer.ErrInvalidKey) || !strings.Contains(err.Error(), wantErr) {
		t.Errorf("error = %q, want ErrInvalidKey containing %q", err, wantErr)
	}
}

// fuzzSeeds adds every fixture and a few truncations as seeds.
func fuzzSeeds(f *testing.F) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".pem" {
			continue
		}
		b := readFixture(f, e.Name())
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"))
	f.Add([]byte{})
}

func FuzzLoadPrivateKey(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := signer.LoadPrivateKey(data)
		if err != nil {
			if !errors.Is(err, signer.ErrInvalidKey) {
				t.Fatalf("error %v does not wrap ErrInvalidKey", err)
			}
			if key != nil {
				t.Fatal("non-nil key with an error")
			}
			return
		}
		if key == nil || key.N == nil {
			t.Fatal("nil key without an error")
		}
	})
}

func FuzzLoadPublicKey(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := signer.LoadPublicKey(data)
		if err != nil {
			if !errors.Is(err, signer.ErrInvalidKey) {
				t.Fatalf("error %v does not wrap ErrInvalidKey", err)
			}
			return
		}
		if key == nil || key.N == nil {
			t.Fatal("nil key without an error")
		}
		_, _ = signer.LoadCertificate(data) // must not panic either
	})
}
