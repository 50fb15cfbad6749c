package apiv2

import (
	"crypto/aes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// FieldReqInfo is the encrypted field of a refund notification.
const FieldReqInfo = "req_info"

// RefundKey returns the AES-256 key of refund notifications: the
// lower-case hex MD5 of the APIv2 secret, as 32 ASCII bytes.
func RefundKey(secret string) []byte {
	sum := md5.Sum([]byte(secret))
	return []byte(hex.EncodeToString(sum[:]))
}

// DecryptRefundInfo opens the req_info of a refund notification: standard
// base64 of AES-256-ECB ciphertext with PKCS#7 padding, keyed with
// RefundKey(secret). The plaintext is an XML document (<root>…</root>).
// Failures match signer.ErrDecryption.
func DecryptRefundInfo(reqInfo, secret string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(reqInfo)
	if err != nil {
		return nil, fmt.Errorf("apiv2: req_info is not base64: %w", signer.ErrDecryption)
	}
	return DecryptECB(RefundKey(secret), ct)
}

// DecryptECB decrypts AES ECB ciphertext with key (16, 24 or 32 bytes) and
// removes the PKCS#7 padding, checking every padding byte. ECB is what the
// refund notification uses; nothing else should. Failures match
// signer.ErrDecryption and say nothing about the plaintext.
func DecryptECB(key, ciphertext []byte) ([]byte, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("apiv2: AES key of %d bytes: %w", len(key), signer.ErrDecryption)
	}
	n := block.BlockSize()
	if len(ciphertext) == 0 || len(ciphertext)%n != 0 {
		return nil, fmt.Errorf("apiv2: ciphertext of %d bytes is not a whole number of blocks: %w", len(ciphertext), signer.ErrDecryption)
	}
	out := make([]byte, len(ciphertext))
	for i := 0; i < len(ciphertext); i += n {
		block.Decrypt(out[i:i+n], ciphertext[i:i+n])
	}
	pad := int(out[len(out)-1])
	if pad == 0 || pad > n {
		return nil, fmt.Errorf("apiv2: bad padding: %w", signer.ErrDecryption)
	}
	for _, b := range out[len(out)-pad:] {
		if int(b) != pad {
			return nil, fmt.Errorf("apiv2: bad padding: %w", signer.ErrDecryption)
		}
	}
	return out[:len(out)-pad], nil
}
