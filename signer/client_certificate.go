package signer

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"

	"software.sslmate.com/src/go-pkcs12"
)

// LoadClientCertificate returns the merchant API certificate for mutual
// TLS (APIv2 refunds, red packets, transfers…) from PEM: certPEM as in
// apiclient_cert.pem and keyPEM as in apiclient_key.pem (PKCS#1 or PKCS#8).
// Failures wrap ErrInvalidKey and never include key bytes.
func LoadClientCertificate(certPEM, keyPEM []byte) (tls.Certificate, error) {
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("signer: merchant API certificate: %w: %w", ErrInvalidKey, err)
	}
	return cert, nil
}

// LoadClientCertificateFiles reads apiclient_cert.pem and apiclient_key.pem
// and parses them with LoadClientCertificate.
func LoadClientCertificateFiles(certFile, keyFile string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("signer: reading merchant API certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("signer: reading merchant API key: %w", err)
	}
	cert, err := LoadClientCertificate(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%w (files %s, %s)", err, certFile, keyFile)
	}
	return cert, nil
}

// LoadPKCS12 returns the merchant API certificate from a PKCS#12 file
// (apiclient_cert.p12). WeChat Pay protects it with the merchant id: an
// empty password means mchID. Failures (a wrong password, a file without
// a key) wrap ErrInvalidKey.
func LoadPKCS12(data []byte, mchID, password string) (tls.Certificate, error) {
	if password == "" {
		password = mchID
	}
	key, leaf, chain, err := pkcs12.DecodeChain(data, password)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("signer: PKCS#12 merchant API certificate: %w: %w", ErrInvalidKey, err)
	}
	cert := tls.Certificate{PrivateKey: key, Leaf: leaf, Certificate: [][]byte{leaf.Raw}}
	for _, c := range chain {
		cert.Certificate = append(cert.Certificate, c.Raw)
	}
	if err := checkKeyMatches(leaf, key); err != nil {
		return tls.Certificate{}, err
	}
	return cert, nil
}

// LoadPKCS12File reads a PKCS#12 file and parses it with LoadPKCS12.
func LoadPKCS12File(path, mchID, password string) (tls.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("signer: reading PKCS#12 merchant API certificate: %w", err)
	}
	cert, err := LoadPKCS12(data, mchID, password)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%w (file %s)", err, path)
	}
	return cert, nil
}

// checkKeyMatches reports whether key is the private key of leaf.
func checkKeyMatches(leaf *x509.Certificate, key any) error {
	pub, ok := key.(interface{ Public() crypto.PublicKey })
	if !ok {
		return fmt.Errorf("signer: PKCS#12 key of type %T is not a private key: %w", key, ErrInvalidKey)
	}
	type equaler interface{ Equal(x crypto.PublicKey) bool }
	if eq, ok := pub.Public().(equaler); !ok || !eq.Equal(leaf.PublicKey) {
		return fmt.Errorf("signer: PKCS#12 key does not match its certificate: %w", ErrInvalidKey)
	}
	return nil
}
