package signer

import (
	"crypto/x509"
	"encoding/hex"
	"strings"
)

// CertificateSerial returns the serial number of c the way WeChat Pay
// writes it in Wechatpay-Serial and serial_no: upper-case hex of the
// magnitude's big-endian bytes, so always of even length and without the
// leading 00 byte DER adds when the top bit is set. It returns "" for a
// nil certificate or serial.
func CertificateSerial(c *x509.Certificate) string {
	if c == nil || c.SerialNumber == nil {
		return ""
	}
	return strings.ToUpper(hex.EncodeToString(c.SerialNumber.Bytes()))
}

// PublicKeyIDPrefix starts every WeChat Pay public key id
// ("PUB_KEY_ID_0114232134912410000000000000"), as opposed to a platform
// certificate serial (upper-case hex).
const PublicKeyIDPrefix = "PUB_KEY_ID_"
