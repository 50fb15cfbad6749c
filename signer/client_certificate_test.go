package signer_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// merchantCert makes a self-signed client certificate named after mchid.
func merchantCert(t *testing.T, mchid string) (*ecdsa.PrivateKey, *x509.Certificate, []byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: mchid},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	return key, cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
}

func TestLoadClientCertificate(t *testing.T) {
	t.Parallel()
	_, leaf, certPEM, keyPEM := merchantCert(t, "1230000109")
	cert, err := signer.LoadClientCertificate(certPEM, keyPEM)
	if err != nil || len(cert.Certificate) != 1 || !cert.Leaf.Equal(leaf) {
		t.Fatalf("LoadClientCertificate: %v", err)
	}
	dir := t.TempDir()
	cf, kf := filepath.Join(dir, "apiclient_cert.pem"), filepath.Join(dir, "apiclient_key.pem")
	os.WriteFile(cf, certPEM, 0o600)
	os.WriteFile(kf, keyPEM, 0o600)
	if _, err := signer.LoadClientCertificateFiles(cf, kf); err != nil {
		t.Errorf("LoadClientCertificateFiles: %v", err)
	}
	_, _, _, otherKey := merchantCert(t, "1230000109")
	if _, err := signer.LoadClientCertificate(certPEM, otherKey); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("mismatched key: %v", err)
	}
	if _, err := signer.LoadClientCertificateFiles(cf, filepath.Join(dir, "missing")); err == nil {
		t.Error("missing key file: no error")
	}
}

func TestLoadPKCS12(t *testing.T) {
	t.Parallel()
	const mchid = "1230000109"
	key, leaf, _, _ := merchantCert(t, mchid)
	withMchID, err := pkcs12.Modern.Encode(key, leaf, nil, mchid)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := signer.LoadPKCS12(withMchID, mchid, "")
	if err != nil || !cert.Leaf.Equal(leaf) || len(cert.Certificate) != 1 {
		t.Fatalf("LoadPKCS12 with the default password: %v", err)
	}
	custom, _ := pkcs12.Modern.Encode(key, leaf, nil, "s3cret")
	if _, err := signer.LoadPKCS12(custom, mchid, "s3cret"); err != nil {
		t.Errorf("LoadPKCS12 with a given password: %v", err)
	}
	if _, err := signer.LoadPKCS12(custom, mchid, ""); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := signer.LoadPKCS12([]byte("garbage"), mchid, ""); !errors.Is(err, signer.ErrInvalidKey) {
		t.Errorf("garbage: %v", err)
	}
	path := filepath.Join(t.TempDir(), "apiclient_cert.p12")
	os.WriteFile(path, withMchID, 0o600)
	if _, err := signer.LoadPKCS12File(path, mchid, ""); err != nil {
		t.Errorf("LoadPKCS12File: %v", err)
	}
}
