package wechatpaytest

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"regexp"
	"strings"
	"testing"
)

func TestCertificateMode(t *testing.T) {
	t.Parallel()
	s := newServer(t, WithKeyMode(CertificateMode))
	if !regexp.MustCompile(`^[0-9A-F]{40}$`).MatchString(s.PlatformSerial()) || strings.HasPrefix(s.PlatformSerial(), "00") {
		t.Errorf("certificate serial %q is not 40 upper-case hex without a leading 00", s.PlatformSerial())
	}
	a := call(t, s, "GET", RouteCertificates, nil)
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	mustVerify(t, s, a)
	var resp struct {
		Data []struct {
			SerialNo           string `json:"serial_no"`
			EffectiveTime      string `json:"effective_time"`
			ExpireTime         string `json:"expire_time"`
			EncryptCertificate struct {
				Algorithm      string `json:"algorithm"`
				Nonce          string `json:"nonce"`
				AssociatedData string `json:"associated_data"`
				Ciphertext     string `json:"ciphertext"`
			} `json:"encrypt_certificate"`
		} `json:"data"`
	}
	if err := json.Unmarshal(a.body, &resp); err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 1 {
		t.Fatalf("%d certificates", len(resp.Data))
	}
	d := resp.Data[0]
	ec := d.EncryptCertificate
	if ec.Algorithm != "AEAD_AES_256_GCM" || ec.AssociatedData != "certificate" || len(ec.Nonce) != 12 {
		t.Errorf("encrypt_certificate %+v", ec)
	}
	plain, err := Decrypt(s.APIv3Key(), ec.Nonce, ec.AssociatedData, ec.Ciphertext)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(plain)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("decrypted %q is not a PEM certificate", plain)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	serial := strings.ToUpper(cert.SerialNumber.Text(16))
	if len(serial)%2 == 1 {
		serial = "0" + serial
	}
	for name, got := range map[string]string{
		"certificate": serial, "serial_no": d.SerialNo, "Wechatpay-Serial": a.header.Get(HeaderSerial),
	} {
		if got != s.PlatformSerial() {
			t.Errorf("%s serial %q, want %q", name, got, s.PlatformSerial())
		}
	}
	if !s.PlatformKey().Equal(cert.PublicKey) {
		t.Error("the certificate does not hold the platform key")
	}
	if string(plain) != string(s.PlatformCertificatePEM()) {
		t.Error("PlatformCertificatePEM differs from the served certificate")
	}
	if !strings.HasSuffix(d.EffectiveTime, "+08:00") || !strings.HasSuffix(d.ExpireTime, "+08:00") {
		t.Errorf("times %q, %q are not in +08:00", d.EffectiveTime, d.ExpireTime)
	}
	// The answer verifies with the key from the certificate it carries.
	pub, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		t.Fatalf("certificate key is %T", cert.PublicKey)
	}
	if err := verifyAnswer(a.header, a.body, serial, pub, s.now()); err != nil {
		t.Error(err)
	}
}

func TestPublicKeyMode(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	if !regexp.MustCompile(`^PUB_KEY_ID_[0-9]{28}$`).MatchString(s.PlatformSerial()) {
		t.Errorf("public key id %q", s.PlatformSerial())
	}
	if s.PlatformCertificatePEM() != nil {
		t.Error("public key mode has a certificate")
	}
	block, _ := pem.Decode(s.PlatformPublicKeyPEM())
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatal("PlatformPublicKeyPEM is not an SPKI PEM")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil || !s.PlatformKey().Equal(pub) {
		t.Fatalf("PlatformPublicKeyPEM does not hold the platform key: %v", err)
	}
	block, _ = pem.Decode(s.MerchantKeyPEM())
	if block == nil || block.Type != "PRIVATE KEY" {
		t.Fatal("MerchantKeyPEM is not a PKCS#8 PEM")
	}
	priv, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil || !s.MerchantKey().Equal(priv) {
		t.Fatalf("MerchantKeyPEM does not hold the merchant key: %v", err)
	}
	certs := s.Certs()
	if len(certs) != 1 || !certs[s.PlatformSerial()].Equal(s.PlatformKey()) {
		t.Errorf("Certs() = %v", certs)
	}
	a := call(t, s, "GET", RouteCertificates, nil)
	if a.status != 404 || a.code() != "RESOURCE_NOT_EXISTS" {
		t.Errorf("GET v3/certificates: %d %s", a.status, a.body)
	}
	mustVerify(t, s, a)
}
