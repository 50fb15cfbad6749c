package signer_test

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestCertificateSerial(t *testing.T) {
	t.Parallel()
	key, _ := keys(t)
	tests := []struct {
		name   string
		serial string // hex, as given to big.Int
		want   string
	}{
		{"typical", "3775B6A45ACD588826D15E583A95F5DD01020304", "3775B6A45ACD588826D15E583A95F5DD01020304"},
		{"top bit set: DER adds a 00 byte, we do not", "F775B6A45ACD588826D15E583A95F5DD", "F775B6A45ACD588826D15E583A95F5DD"},
		{"odd hex length is padded", "ABC", "0ABC"},
		{"lower-case input comes out upper case", "5157f09efdc096de15ebe81a47057a7232f1b8e1", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"},
		{"single byte", "1", "01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, ok := new(big.Int).SetString(tt.serial, 16)
			if !ok {
				t.Fatalf("bad test serial %q", tt.serial)
			}
			tmpl := &x509.Certificate{
				SerialNumber: n,
				Subject:      pkix.Name{CommonName: "serial test"},
				NotBefore:    time.Unix(1700000000, 0),
				NotAfter:     time.Unix(1900000000, 0),
			}
			der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
			if err != nil {
				t.Fatal(err)
			}
			cert, err := x509.ParseCertificate(der) // the serial as read back from DER
			if err != nil {
				t.Fatal(err)
			}
			if got := signer.CertificateSerial(cert); got != tt.want {
				t.Errorf("CertificateSerial = %q, want %q", got, tt.want)
			}
		})
	}
	if got := signer.CertificateSerial(nil); got != "" {
		t.Errorf("CertificateSerial(nil) = %q", got)
	}
	if got := signer.CertificateSerial(&x509.Certificate{}); got != "" {
		t.Errorf("CertificateSerial(no serial) = %q", got)
	}
}
