package wechatpaytest

import (
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"time"
)

// NotifyOption changes how [Server.Notify] and [Server.NewNotifyRequest]
// build and sign one callback.
type NotifyOption func(*notifyConfig)

// notifyConfig is what the notify options set.
type notifyConfig struct {
	key         *rsa.PrivateKey
	serial      string
	probe       bool
	skew        time.Duration
	alter       func(*EncryptedResource)
	certificate bool
}

// NotifyProbe sends the callback with a WECHATPAY/SIGNTEST/ probe signature,
// as WeChat Pay does now and then to check that merchants verify callbacks:
// a handler must reject it.
func NotifyProbe() NotifyOption { return func(c *notifyConfig) { c.probe = true } }

// NotifyClockSkew shifts the callback's Wechatpay-Timestamp (signed) from
// the server's clock, to send stale or future callbacks.
func NotifyClockSkew(d time.Duration) NotifyOption { return func(c *notifyConfig) { c.skew = d } }

// NotifySignedBy signs the callback with key and names serial in
// Wechatpay-Serial, for example an attacker's key under the real serial.
func NotifySignedBy(key *rsa.PrivateKey, serial string) NotifyOption {
	return func(c *notifyConfig) { c.key, c.serial = key, serial }
}

// NotifySignedByCertificate signs the callback with the newest platform
// certificate the server lists at v3/certificates instead of its public key:
// the gray period of the migration, when callbacks come signed by either
// kind ([WithGrayPeriod]). In [CertificateMode] it is the default signer.
func NotifySignedByCertificate() NotifyOption { return func(c *notifyConfig) { c.certificate = true } }

// NotifyAlterResource lets f change the encrypted resource before the
// callback is signed (tamper with the ciphertext, the associated data or
// the algorithm): the signature stays valid, the decryption fails.
func NotifyAlterResource(f func(*EncryptedResource)) NotifyOption {
	return func(c *notifyConfig) { c.alter = f }
}

// notifyConfig applies opts over the server's defaults.
func (s *Server) notifyConfig(opts []NotifyOption) (notifyConfig, error) {
	c := notifyConfig{key: s.platformKey, serial: s.platformSerial}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.certificate && s.mode != CertificateMode {
		if len(s.extraCerts) == 0 {
			return c, errors.New("wechatpaytest: NotifySignedByCertificate needs a platform certificate: use CertificateMode or WithGrayPeriod")
		}
		c.key, c.serial = s.extraCerts[0].key, s.extraCerts[0].serial
	}
	if c.key == nil || c.serial == "" {
		return c, errors.New("wechatpaytest: NotifySignedBy needs a key and a serial")
	}
	return c, nil
}

// signature returns the Wechatpay-Signature value for the callback.
func (c notifyConfig) signature(timestamp, nonceStr string, body []byte) string {
	if c.probe {
		return "WECHATPAY/SIGNTEST/" + base64.StdEncoding.EncodeToString([]byte(nonce(48)))
	}
	return base64.StdEncoding.EncodeToString(signMessage(c.key, timestamp, nonceStr, body))
}
