package signer

import (
	"crypto/rand"
	"fmt"
)

// nonceAlphabet holds the 62 characters a nonce is drawn from.
const nonceAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// NonceLength is the length of the nonces Nonce returns.
const NonceLength = 32

// nonceCutoff is the largest multiple of len(nonceAlphabet) not above 256:
// random bytes at or above it are rejected so that every character is
// equally likely.
const nonceCutoff = 256 - 256%len(nonceAlphabet) // 248

// Nonce returns NonceLength characters drawn uniformly from [0-9A-Za-z]
// using crypto/rand. Bytes that would bias the draw are rejected rather
// than reduced modulo the alphabet size.
func Nonce() (string, error) {
	var out [NonceLength]byte
	if err := fillNonce(&out); err != nil {
		return "", err
	}
	return string(out[:]), nil
}

// fillNonce fills out with a nonce (see Nonce), without allocating.
func fillNonce(out *[NonceLength]byte) error {
	var buf [NonceLength + NonceLength/4]byte // a refill is rarely needed: 3% of bytes are rejected
	n := 0
	for n < NonceLength {
		if _, err := rand.Read(buf[:]); err != nil {
			return fmt.Errorf("signer: reading randomness for a nonce: %w", err)
		}
		for _, b := range buf {
			if int(b) >= nonceCutoff {
				continue
			}
			out[n] = nonceAlphabet[int(b)%len(nonceAlphabet)]
			n++
			if n == NonceLength {
				break
			}
		}
	}
	return nil
}
