package wechatpaytest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// PlatformCertificate is a certificate GET v3/certificates lists.
type PlatformCertificate struct {
	Serial    string         // serial_no
	Key       *rsa.PublicKey // the certificate's key
	PEM       []byte         // the certificate, PEM (what the answer encrypts)
	NotBefore time.Time      // effective_time
	NotAfter  time.Time      // expire_time
}

// platformCert is a certificate the server holds besides its signing one.
type platformCert struct {
	key    *rsa.PrivateKey
	serial string
	cert   *x509.Certificate
	pem    []byte
}

// WithCertificateRotation serves a rotation in [CertificateMode]:
// v3/certificates lists an older certificate (its own key, issued 300 days
// earlier, expiring sooner) beside the current one, and answers and
// callbacks are signed by the current one. A client that only knows the
// older certificate ([Server.PlatformCertificates]) meets an unknown serial
// and must download the new certificate.
func WithCertificateRotation() Option { return func(c *config) { c.rotation = true } }

// WithGrayPeriod serves the migration from certificates to the public key
// in [PublicKeyMode]: the merchant also has a platform certificate (its own
// key), v3/certificates lists it, and [NotifySignedByCertificate] signs
// callbacks with it. Answers stay signed by the public key.
func WithGrayPeriod() Option { return func(c *config) { c.grayPeriod = true } }

// extraKey is the key of the extra certificate, generated once per process
// like the other keys.
var extraKey struct {
	once sync.Once
	key  *rsa.PrivateKey
	err  error
}

// setupExtraCertificates makes the certificates the options ask for.
func (s *Server) setupExtraCertificates(c config) error {
	var notBefore time.Time
	switch {
	case c.rotation && s.mode != CertificateMode:
		return fmt.Errorf("wechatpaytest: WithCertificateRotation needs CertificateMode")
	case c.grayPeriod && s.mode != PublicKeyMode:
		return fmt.Errorf("wechatpaytest: WithGrayPeriod needs PublicKeyMode")
	case c.rotation:
		notBefore = s.now().AddDate(0, 0, -300)
	case c.grayPeriod:
		notBefore = s.now()
	default:
		return nil
	}
	extraKey.once.Do(func() { extraKey.key, extraKey.err = rsa.GenerateKey(rand.Reader, 2048) })
	if extraKey.err != nil {
		return fmt.Errorf("wechatpaytest: generating RSA key: %w", extraKey.err)
	}
	cert, pemBytes, err := selfSignedCertificate(extraKey.key, newCertSerial(), notBefore)
	if err != nil {
		return err
	}
	s.extraCerts = append(s.extraCerts, platformCert{key: extraKey.key, serial: formatSerial(cert.SerialNumber), cert: cert, pem: pemBytes})
	return nil
}

// PlatformCertificates returns the certificates GET v3/certificates lists,
// newest first: in [CertificateMode] the signing one (then the older one of
// [WithCertificateRotation]); in [PublicKeyMode] none, or the one of
// [WithGrayPeriod].
func (s *Server) PlatformCertificates() []PlatformCertificate {
	var out []PlatformCertificate
	if s.mode == CertificateMode {
		out = append(out, PlatformCertificate{s.platformSerial, s.PlatformKey(), s.PlatformCertificatePEM(), s.cert.NotBefore, s.cert.NotAfter})
	}
	for _, c := range s.extraCerts {
		out = append(out, PlatformCertificate{c.serial, &c.key.PublicKey, append([]byte(nil), c.pem...), c.cert.NotBefore, c.cert.NotAfter})
	}
	return out
}

// certificateList answers GET v3/certificates: each listed certificate
// encrypted under the APIv3 key, or RESOURCE_NOT_EXISTS when there is none.
func (s *Server) certificateList() Reply {
	certs := s.PlatformCertificates()
	if len(certs) == 0 {
		return Fail(http.StatusNotFound, "RESOURCE_NOT_EXISTS",
			"无可用的平台证书: this merchant uses the WeChat Pay public key "+s.platformSerial+"; there are no platform certificates")
	}
	data := make([]M, 0, len(certs))
	for _, c := range certs {
		n := nonce(12)
		ct, err := Encrypt(s.apiv3Key, n, "certificate", c.PEM)
		if err != nil {
			return Fail(http.StatusInternalServerError, "SYSTEM_ERROR", err.Error())
		}
		data = append(data, M{
			"serial_no":      c.Serial,
			"effective_time": formatTime(c.NotBefore),
			"expire_time":    formatTime(c.NotAfter),
			"encrypt_certificate": M{
				"algorithm":       algorithmAEAD,
				"nonce":           n,
				"associated_data": "certificate",
				"ciphertext":      ct,
			},
		})
	}
	return JSON(http.StatusOK, M{"data": data})
}
