package signer

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"fmt"
)

// APIv3KeyLength is the length of the APIv3 key, used as the AES-256 key
// of AEAD_AES_256_GCM.
const APIv3KeyLength = 32

// DecryptAEAD opens an AEAD_AES_256_GCM resource, as found in callbacks
// ("resource") and in /v3/certificates ("encrypt_certificate"). apiV3Key
// is the 32-character APIv3 key (its ASCII bytes are the AES-256 key);
// nonce and associatedData are used as given (nonces are normally 12
// bytes; other lengths are accepted); ciphertext is base64 of the
// ciphertext followed by the 16-byte tag. Failures wrap ErrDecryption and
// never include the key.
func DecryptAEAD(apiV3Key, nonce, associatedData, ciphertext string) ([]byte, error) {
	aead, err := newGCM(apiV3Key, nonce)
	if err != nil {
		return nil, err
	}
	ct, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil {
		return nil, fmt.Errorf("%w: AEAD_AES_256_GCM ciphertext is not valid base64", ErrDecryption)
	}
	if len(ct) < aead.Overhead() {
		return nil, fmt.Errorf("%w: AEAD_AES_256_GCM ciphertext shorter than its tag", ErrDecryption)
	}
	pt, err := aead.Open(nil, []byte(nonce), ct, []byte(associatedData))
	if err != nil {
		return nil, fmt.Errorf("%w: AEAD_AES_256_GCM authentication failed (wrong APIv3 key, nonce or associated data?)", ErrDecryption)
	}
	return pt, nil
}

// EncryptAEAD seals plaintext with AEAD_AES_256_GCM the way WeChat Pay
// does and returns base64 of ciphertext||tag. It is the inverse of
// DecryptAEAD, for tests and test servers. nonce must never be reused with
// the same key.
func EncryptAEAD(apiV3Key, nonce, associatedData string, plaintext []byte) (string, error) {
	aead, err := newGCM(apiV3Key, nonce)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(aead.Seal(nil, []byte(nonce), plaintext, []byte(associatedData))), nil
}

// newGCM builds AES-256-GCM for the APIv3 key and a nonce of any
// non-zero length.
func newGCM(apiV3Key, nonce string) (cipher.AEAD, error) {
	if len(apiV3Key) != APIv3KeyLength {
		return nil, fmt.Errorf("signer: APIv3 key must be %d bytes, got %d: %w", APIv3KeyLength, len(apiV3Key), ErrInvalidKey)
	}
	if nonce == "" {
		return nil, fmt.Errorf("signer: AEAD_AES_256_GCM: empty nonce")
	}
	block, err := aes.NewCipher([]byte(apiV3Key))
	if err != nil {
		return nil, fmt.Errorf("signer: AES key: %w", err)
	}
	var aead cipher.AEAD
	if len(nonce) == 12 {
		aead, err = cipher.NewGCM(block)
	} else {
		aead, err = cipher.NewGCMWithNonceSize(block, len(nonce))
	}
	if err != nil {
		return nil, fmt.Errorf("signer: AEAD_AES_256_GCM with a %d-byte nonce: %w", len(nonce), err)
	}
	return aead, nil
}
