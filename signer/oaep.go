package signer

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
)

// ErrDecryption is wrapped by DecryptOAEP and DecryptAEAD failures. The
// errors deliberately say nothing about why the ciphertext was rejected.
var ErrDecryption = errors.New("signer: decryption failed")

// EncryptOAEP encrypts a sensitive field (a name, an id number, a phone
// number...) for WeChat Pay with RSA-OAEP, SHA-1 and MGF1-SHA-1 and an
// empty label, under a platform public key, and returns standard base64.
// Send the serial or public key id of pub in the request header
// Wechatpay-Serial. With a 2048-bit key the plaintext may be at most 214
// bytes. PKCS#1 v1.5 encryption is insecure and deliberately not offered.
func EncryptOAEP(pub *rsa.PublicKey, plaintext string) (string, error) {
	if pub == nil || pub.N == nil {
		return "", fmt.Errorf("signer: OAEP encryption: nil public key: %w", ErrInvalidKey)
	}
	ct, err := rsa.EncryptOAEP(sha1.New(), rand.Reader, pub, []byte(plaintext), nil)
	if err != nil {
		return "", fmt.Errorf("signer: OAEP encryption of a %d-byte field: %w", len(plaintext), err)
	}
	return base64.StdEncoding.EncodeToString(ct), nil
}

// DecryptOAEP decrypts a base64 RSA-OAEP (SHA-1, MGF1-SHA-1, empty label)
// ciphertext with the merchant private key: an *rsa.PrivateKey or any
// crypto.Decrypter holding an RSA key. Any failure, including a ciphertext
// made with PKCS#1 v1.5 padding, wraps ErrDecryption without further
// detail.
func DecryptOAEP(key crypto.Decrypter, ciphertext string) (string, error) {
	if key == nil {
		return "", fmt.Errorf("signer: OAEP decryption: nil private key: %w", ErrInvalidKey)
	}
	if _, ok := key.Public().(*rsa.PublicKey); !ok {
		return "", fmt.Errorf("signer: OAEP decryption: key is %T, want RSA: %w", key.Public(), ErrInvalidKey)
	}
	ct, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil {
		return "", fmt.Errorf("%w: ciphertext is not valid base64", ErrDecryption)
	}
	pt, err := key.Decrypt(rand.Reader, ct, &rsa.OAEPOptions{Hash: crypto.SHA1, MGFHash: crypto.SHA1})
	if err != nil {
		return "", fmt.Errorf("%w: RSA-OAEP", ErrDecryption)
	}
	return string(pt), nil
}
