package wechatpaytest

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
)

// algorithmAEAD names the cipher of callback resources and certificates.
const algorithmAEAD = "AEAD_AES_256_GCM"

// errAPIv3KeyLength: the APIv3 key is 32 bytes used as the AES-256 key.
var errAPIv3KeyLength = errors.New("wechatpaytest: the APIv3 key must be 32 bytes")

// gcm returns AES-256-GCM keyed with the APIv3 key's bytes, for a nonce of
// nonceLen bytes (12 in practice; the API's nonce is a string of that many
// characters).
func gcm(apiv3Key string, nonceLen int) (cipher.AEAD, error) {
	if len(apiv3Key) != 32 {
		return nil, errAPIv3KeyLength
	}
	block, err := aes.NewCipher([]byte(apiv3Key))
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: %w", err)
	}
	if nonceLen == 12 {
		return cipher.NewGCM(block)
	}
	a, err := cipher.NewGCMWithNonceSize(block, nonceLen)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: nonce of %d bytes: %w", nonceLen, err)
	}
	return a, nil
}

// Encrypt seals plaintext the way WeChat Pay encrypts callback resources and
// certificates: AES-256-GCM under the 32-byte APIv3 key, with the given nonce
// and associated data, answering base64(ciphertext ‖ 16-byte tag).
func Encrypt(apiv3Key, nonce, associatedData string, plaintext []byte) (string, error) {
	a, err := gcm(apiv3Key, len(nonce))
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(a.Seal(nil, []byte(nonce), plaintext, []byte(associatedData))), nil
}

// Decrypt opens what [Encrypt] sealed; tests use it to read what a client
// sent or to check the server's own output.
func Decrypt(apiv3Key, nonce, associatedData, ciphertext string) ([]byte, error) {
	a, err := gcm(apiv3Key, len(nonce))
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: ciphertext is not base64: %w", err)
	}
	if len(raw) < a.Overhead() {
		return nil, fmt.Errorf("wechatpaytest: ciphertext of %d bytes is shorter than the GCM tag", len(raw))
	}
	plain, err := a.Open(nil, []byte(nonce), raw, []byte(associatedData))
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: decrypting with AEAD_AES_256_GCM: %w", err)
	}
	return plain, nil
}
