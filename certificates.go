package wechatpay

import (
	"cmp"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// CertificateDownloadInterval is the shortest time between two downloads
// of v3/certificates that an unknown serial can trigger. A forged serial
// therefore costs WeChat Pay at most one request a minute per client.
// [Client.RefreshCertificates] is not held back by it.
const CertificateDownloadInterval = time.Minute

// maxCertificatesAnswer bounds the v3/certificates answer read into memory.
const maxCertificatesAnswer = 1 << 20

// PlatformCertificate is a WeChat Pay platform certificate downloaded from
// v3/certificates, decrypted with the APIv3 key.
type PlatformCertificate struct {
	Serial        string            // serial_no, as in Wechatpay-Serial
	EffectiveTime time.Time         // effective_time
	ExpireTime    time.Time         // expire_time
	Certificate   *x509.Certificate // the parsed certificate
	PEM           []byte            // the decrypted PEM, as WeChat Pay sent it
}

// decryptCertificates reads a v3/certificates answer: every entry is
// decrypted with the APIv3 key, parsed, and must carry an RSA key and the
// serial it is listed under. Expired certificates are left out. The result
// is sorted newest (latest effective time) first.
func decryptCertificates(body []byte, apiV3Key string, now time.Time) ([]PlatformCertificate, error) {
	var answer struct {
		Data []struct {
			SerialNo      string `json:"serial_no"`
			EffectiveTime string `json:"effective_time"`
			ExpireTime    string `json:"expire_time"`
			Encrypted     struct {
				Algorithm      string `json:"algorithm"`
				Nonce          string `json:"nonce"`
				AssociatedData string `json:"associated_data"`
				Ciphertext     string `json:"ciphertext"`
			} `json:"encrypt_certificate"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return nil, tagged("the v3/certificates answer is not the expected JSON: "+err.Error(), ErrDecryption)
	}
	var out []PlatformCertificate
	for i, d := range answer.Data {
		e := d.Encrypted
		if e.Algorithm != algorithmAEAD {
			return nil, tagged(fmt.Sprintf("certificate %d (%s): unsupported algorithm %q", i, d.SerialNo, e.Algorithm), ErrDecryption)
		}
		pemBytes, err := signer.DecryptAEAD(apiV3Key, e.Nonce, e.AssociatedData, e.Ciphertext)
		if err != nil {
			return nil, tagged(fmt.Sprintf("certificate %d (%s): %s", i, d.SerialNo, plainText(err)), err)
		}
		cert, err := signer.LoadCertificate(pemBytes)
		if err != nil {
			return nil, fmt.Errorf("certificate %d (%s): %s", i, d.SerialNo, plainText(err))
		}
		if got := signer.CertificateSerial(cert); got != d.SerialNo {
			return nil, fmt.Errorf("certificate %d: listed as %q but its serial is %q", i, d.SerialNo, got)
		}
		if _, ok := cert.PublicKey.(*rsa.PublicKey); !ok {
			return nil, fmt.Errorf("certificate %s holds a %T, want an RSA key", d.SerialNo, cert.PublicKey)
		}
		pc := PlatformCertificate{
			Serial:        d.SerialNo,
			EffectiveTime: parseTimeOr(d.EffectiveTime, cert.NotBefore),
			ExpireTime:    parseTimeOr(d.ExpireTime, cert.NotAfter),
			Certificate:   cert,
			PEM:           pemBytes,
		}
		if !pc.ExpireTime.After(now) {
			continue
		}
		out = append(out, pc)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the v3/certificates answer lists no certificate that is still valid (%d listed)", len(answer.Data))
	}
	slices.SortStableFunc(out, func(a, b PlatformCertificate) int {
		if c := b.EffectiveTime.Compare(a.EffectiveTime); c != 0 {
			return c
		}
		return cmp.Or(b.ExpireTime.Compare(a.ExpireTime), strings.Compare(a.Serial, b.Serial))
	})
	return out, nil
}

// keyMap copies the content of a key store.
func keyMap(ks *signer.KeyStore) map[string]*rsa.PublicKey {
	m := map[string]*rsa.PublicKey{}
	for _, serial := range ks.Serials() {
		if k, ok := ks.Get(serial); ok {
			m[serial] = k
		}
	}
	return m
}

// parseTimeOr parses an RFC 3339 time, or returns fallback.
func parseTimeOr(s string, fallback time.Time) time.Time {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t
	}
	return fallback
}

// fetchCertificates GETs v3/certificates through the middleware stack
// (logged, signed) but without the verifier: the store verifies the answer
// itself with the certificates it carries. It bypasses the MaxConcurrent
// slots and retries, as it may run inside another call's verification.
func (c *Client) fetchCertificates(ctx context.Context) (http.Header, []byte, error) {
	const path = "v3/certificates"
	req, err := http.NewRequestWithContext(middleware.WithoutVerification(ctx), http.MethodGet, c.baseURL+path, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	// Straight to the stack: the MaxConcurrent slots sit outside it, and the
	// call that needs this download may hold the last one.
	direct := &http.Client{Transport: c.stack, Timeout: c.httpClient.Timeout, CheckRedirect: c.httpClient.CheckRedirect}
	resp, err := direct.Do(req)
	if err != nil {
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxCertificatesAnswer+1))
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	if len(body) > maxCertificatesAnswer {
		return nil, nil, fmt.Errorf("GET %s: answer over %d bytes", path, maxCertificatesAnswer)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(&preparedRequest{method: http.MethodGet, path: path, tmpl: path}, resp.StatusCode, resp.Header, body)
		if apiErr.Code == "RESOURCE_NOT_EXISTS" {
			return nil, nil, fmt.Errorf("%w (this merchant has no platform certificates: it uses the WeChat Pay public key, whose PUB_KEY_ID_… id and key belong in Config.Certs)", apiErr)
		}
		return nil, nil, apiErr
	}
	return resp.Header, body, nil
}

// RefreshCertificates downloads v3/certificates now, decrypts the
// certificates with Config.APIv3Key, checks that the answer verifies with
// them, and replaces the downloaded set (the static Config.Certs stay).
// On failure the previous set is kept and the error says why. Clients
// refresh by themselves when an answer or callback names an unknown
// certificate serial; call this for a schedule of your own (WeChat Pay
// advises at least every 12 hours). It joins a download already in flight.
func (c *Client) RefreshCertificates(ctx context.Context) error {
	if ctx == nil {
		return errNilContext
	}
	if err := c.certs.refresh(ctx, true); err != nil {
		return fmt.Errorf("wechatpay: refreshing platform certificates: %w", plainError{err})
	}
	return nil
}

// PlatformCertificates returns the certificates downloaded from
// v3/certificates, newest first; nil before the first download.
func (c *Client) PlatformCertificates() []PlatformCertificate {
	return slices.Clone(c.certs.certificates())
}
