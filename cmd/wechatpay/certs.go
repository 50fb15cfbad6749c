package main

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// parseCerts reads a "serial=file,serial=file" list into the key map the
// client verifies answers with. A serial is a platform certificate serial
// or a WeChat Pay public key id ("PUB_KEY_ID_…"); each file holds a PEM
// public key or certificate. For a certificate, the serial must be the
// certificate's own.
func parseCerts(list string) (map[string]*rsa.PublicKey, error) {
	keys := map[string]*rsa.PublicKey{}
	for entry := range strings.SplitSeq(list, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		serial, file, ok := strings.Cut(entry, "=")
		serial, file = strings.TrimSpace(serial), strings.TrimSpace(file)
		if !ok || serial == "" || file == "" {
			return nil, fmt.Errorf("entry %q: want serial=file", entry)
		}
		if _, dup := keys[serial]; dup {
			return nil, fmt.Errorf("entry %q: serial %s given twice", entry, serial)
		}
		pub, err := loadPlatformKey(serial, file)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %w", entry, err)
		}
		keys[serial] = pub
	}
	if len(keys) == 0 {
		return nil, errors.New("no entries: want serial=file[,serial=file…]")
	}
	return keys, nil
}

// loadPlatformKey reads the public key in file: a certificate (whose
// serial must equal serial) or a bare public key.
func loadPlatformKey(serial, file string) (*rsa.PublicKey, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if strings.Contains(string(data), "-----BEGIN CERTIFICATE-----") {
		cert, err := signer.LoadCertificate(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if got := signer.CertificateSerial(cert); got != serial {
			return nil, fmt.Errorf("%s: the certificate's serial is %s, not %s", file, got, serial)
		}
		pub, ok := cert.PublicKey.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("%s: the certificate holds a %T, want an RSA key", file, cert.PublicKey)
		}
		return pub, nil
	}
	pub, err := signer.LoadPublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return pub, nil
}
