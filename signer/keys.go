package signer

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"strings"
)

// PEM block types the loaders understand.
const (
	pemRSAPrivateKey       = "RSA PRIVATE KEY"       // PKCS#1
	pemPrivateKey          = "PRIVATE KEY"           // PKCS#8
	pemEncryptedPrivateKey = "ENCRYPTED PRIVATE KEY" // PKCS#8, password protected
	pemPublicKey           = "PUBLIC KEY"            // SubjectPublicKeyInfo
	pemRSAPublicKey        = "RSA PUBLIC KEY"        // PKCS#1
	pemCertificate         = "CERTIFICATE"           // X.509
)

// LoadPrivateKey parses the first private key found in PEM data: a PKCS#1
// "RSA PRIVATE KEY" or a PKCS#8 "PRIVATE KEY" holding an RSA key (the form
// of the apiclient_key.pem WeChat Pay hands merchants). Other PEM blocks
// before it are skipped. Encrypted PEM, non-RSA keys and files holding
// only certificates or public keys are errors wrapping ErrInvalidKey.
func LoadPrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, err := findBlock(pemBytes, "private key", pemRSAPrivateKey, pemPrivateKey)
	if err != nil {
		return nil, err
	}
	var key any
	switch block.Type {
	case pemRSAPrivateKey:
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("signer: parsing %s PEM block: %w: %w", block.Type, ErrInvalidKey, err)
	}
	rsaKey, ok := key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("signer: %s PEM block holds a %s key, want RSA: %w", block.Type, keyKind(key), ErrInvalidKey)
	}
	return rsaKey, nil
}

// LoadPrivateKeyFile reads a PEM file and parses it with LoadPrivateKey.
func LoadPrivateKeyFile(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signer: reading private key: %w", err)
	}
	key, err := LoadPrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return key, nil
}

// LoadPublicKey parses the first RSA public key found in PEM data: a
// "PUBLIC KEY" (SubjectPublicKeyInfo, the form of the WeChat Pay public
// key pub_key.pem), an "RSA PUBLIC KEY" (PKCS#1), or a "CERTIFICATE"
// (a platform certificate: its public key is returned). Other PEM blocks
// before it are skipped; a private key is not accepted in its place.
func LoadPublicKey(pemBytes []byte) (*rsa.PublicKey, error) {
	block, err := findBlock(pemBytes, "public key or certificate", pemPublicKey, pemRSAPublicKey, pemCertificate)
	if err != nil {
		return nil, err
	}
	var key any
	switch block.Type {
	case pemRSAPublicKey:
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case pemCertificate:
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	default:
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	}
	if err != nil {
		return nil, fmt.Errorf("signer: parsing %s PEM block: %w: %w", block.Type, ErrInvalidKey, err)
	}
	rsaKey, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("signer: %s PEM block holds a %s key, want RSA: %w", block.Type, keyKind(key), ErrInvalidKey)
	}
	return rsaKey, nil
}

// LoadPublicKeyFile reads a PEM file and parses it with LoadPublicKey.
func LoadPublicKeyFile(path string) (*rsa.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signer: reading public key: %w", err)
	}
	key, err := LoadPublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return key, nil
}

// LoadCertificate parses the first "CERTIFICATE" block of PEM data. Use
// CertificateSerial for the serial WeChat Pay uses and cert.PublicKey (an
// *rsa.PublicKey for WeChat Pay certificates) for the key.
func LoadCertificate(pemBytes []byte) (*x509.Certificate, error) {
	block, err := findBlock(pemBytes, "certificate", pemCertificate)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("signer: parsing CERTIFICATE PEM block: %w: %w", ErrInvalidKey, err)
	}
	return cert, nil
}

// LoadCertificateFile reads a PEM file and parses it with LoadCertificate.
func LoadCertificateFile(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signer: reading certificate: %w", err)
	}
	cert, err := LoadCertificate(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	return cert, nil
}

// findBlock returns the first PEM block of one of the wanted types. When
// there is none, the error names what was found instead, and says so
// plainly when the key is encrypted.
func findBlock(data []byte, what string, want ...string) (*pem.Block, error) {
	var found []string
	rest := data
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == pemEncryptedPrivateKey || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
			return nil, fmt.Errorf("signer: the %s PEM block is encrypted; decrypt it first (for example: openssl pkey -in key.pem -out plain.pem): %w", block.Type, ErrInvalidKey)
		}
		for _, w := range want {
			if block.Type == w {
				return block, nil
			}
		}
		found = append(found, block.Type)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("signer: no PEM block found, want a PEM-encoded %s: %w", what, ErrInvalidKey)
	}
	return nil, fmt.Errorf("signer: found PEM %q where a %s was expected: %w", found, what, ErrInvalidKey)
}

// keyKind names the algorithm of a parsed key for error messages.
func keyKind(key any) string {
	switch key.(type) {
	case *ecdsa.PrivateKey, *ecdsa.PublicKey:
		return "ECDSA"
	case *ecdh.PrivateKey, *ecdh.PublicKey:
		return "ECDH"
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "Ed25519"
	}
	return fmt.Sprintf("%T", key)
}
