package wechatpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"
)

// generatedKeys are the keys of servers not given WithMerchantKey or
// WithPlatformKey. RSA-2048 generation is slow (seconds under the race
// detector), so the keys are made once per process and shared; every server
// still has its own serials, public key id, certificate and APIv3 key, so a
// client configured for one server does not verify against another.
var generatedKeys struct {
	once               sync.Once
	merchant, platform *rsa.PrivateKey
	err                error
}

func sharedKeys() (merchant, platform *rsa.PrivateKey, err error) {
	g := &generatedKeys
	g.once.Do(func() {
		if g.merchant, g.err = rsa.GenerateKey(rand.Reader, 2048); g.err != nil {
			return
		}
		g.platform, g.err = rsa.GenerateKey(rand.Reader, 2048)
	})
	if g.err != nil {
		return nil, nil, fmt.Errorf("wechatpaytest: generating RSA keys: %w", g.err)
	}
	return g.merchant, g.platform, nil
}

// publicKeyIDPrefix starts every WeChat Pay public key id.
const publicKeyIDPrefix = "PUB_KEY_ID_"

// newPublicKeyID returns an id shaped like the real ones: the prefix, "01"
// and 26 random digits.
func newPublicKeyID() string {
	return publicKeyIDPrefix + "01" + randomString(26, "0123456789")
}

// newCertSerial returns a random positive 20-byte serial number whose first
// byte is in 0x10..0x7f, so it formats as 40 upper-case hex characters with
// no leading 00.
func newCertSerial() *big.Int {
	b := make([]byte, 20)
	_, _ = rand.Read(b) // never fails since Go 1.24
	b[0] = 0x10 + b[0]%0x70
	return new(big.Int).SetBytes(b)
}

// formatSerial formats a certificate serial number the way WeChat Pay does:
// upper-case hex of its big-endian bytes (even length, no leading 00).
func formatSerial(n *big.Int) string {
	return strings.ToUpper(hex.EncodeToString(n.Bytes()))
}

// parseCertSerial checks and parses a certificate serial in WeChat Pay's
// format.
func parseCertSerial(s string) (*big.Int, error) {
	if s == "" || len(s)%2 != 0 || strings.HasPrefix(s, "00") || strings.ToUpper(s) != s {
		return nil, fmt.Errorf("wechatpaytest: certificate serial %q is not upper-case hex of even length without a leading 00", s)
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: certificate serial %q: %w", s, err)
	}
	return new(big.Int).SetBytes(b), nil
}

// checkPublicKeyID checks the "PUB_KEY_ID_" + digits shape.
func checkPublicKeyID(id string) error {
	digits, ok := strings.CutPrefix(id, publicKeyIDPrefix)
	if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return fmt.Errorf("wechatpaytest: public key id %q is not %q followed by digits", id, publicKeyIDPrefix)
	}
	return nil
}

// checkMerchantSerial accepts any serial that fits in a quoted
// Authorization parameter.
func checkMerchantSerial(s string) error {
	if s == "" {
		return errors.New("wechatpaytest: empty merchant serial")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' {
			return fmt.Errorf("wechatpaytest: merchant serial %q holds a character that cannot be quoted", s)
		}
	}
	return nil
}

// selfSignedCertificate makes the platform certificate of CertificateMode.
func selfSignedCertificate(key *rsa.PrivateKey, serial *big.Int, now time.Time) (*x509.Certificate, []byte, error) {
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			Country:            []string{"CN"},
			Organization:       []string{"wechatpaytest"},
			OrganizationalUnit: []string{"wechatpaytest platform certificate"},
			CommonName:         "wechatpaytest platform",
		},
		NotBefore:             now.Add(-time.Hour).Truncate(time.Second),
		NotAfter:              now.AddDate(5, 0, 0).Truncate(time.Second),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("wechatpaytest: creating the platform certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, fmt.Errorf("wechatpaytest: parsing the platform certificate: %w", err)
	}
	return cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// pkcs8PEM encodes a private key as a "PRIVATE KEY" PEM block, the form of
// apiclient_key.pem.
func pkcs8PEM(key *rsa.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: encoding the merchant key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// spkiPEM encodes a public key as a "PUBLIC KEY" PEM block, the form of
// pub_key.pem downloaded from the merchant platform.
func spkiPEM(key *rsa.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: encoding the platform public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// randomString returns n characters drawn uniformly from alphabet (at most
// 256 characters) with crypto/rand, rejecting bytes that would bias the
// draw.
func randomString(n int, alphabet string) string {
	limit := 256 - 256%len(alphabet)
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		_, _ = rand.Read(buf) // never fails since Go 1.24
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%len(alphabet)])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out)
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// nonce returns n characters from [0-9A-Za-z].
func nonce(n int) string { return randomString(n, alnum) }
