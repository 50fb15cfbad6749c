package wechatpaytest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
)

// Headers of a signed answer or callback.
const (
	HeaderTimestamp     = "Wechatpay-Timestamp"
	HeaderNonce         = "Wechatpay-Nonce"
	HeaderSignature     = "Wechatpay-Signature"
	HeaderSerial        = "Wechatpay-Serial"
	HeaderSignatureType = "Wechatpay-Signature-Type"
)

// signAnswer sets the four Wechatpay-* headers for body, applying the
// signature faults, and returns the body to send (changed when
// fault.TamperBody asks for it).
func (s *Server) signAnswer(h http.Header, status int, body []byte, fault Fault) []byte {
	signed, sent := body, body
	if fault.TamperBody {
		if bodyAllowed(status) {
			sent = tamper(body)
		} else {
			signed = []byte(`{"tampered":true}`)
		}
	}
	ts := strconv.FormatInt(s.now().Add(fault.ClockSkew).Unix(), 10)
	n := nonce(32)
	sig := s.sign(ts, n, signed)
	if fault.TamperSignature && len(sig) > 0 {
		sig[len(sig)/2] ^= 0x01
	}
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderNonce, n)
	h.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	h.Set(HeaderSerial, s.platformSerial)
	if fault.DropSignatureHeader != "" {
		h.Del(fault.DropSignatureHeader)
	}
	return sent
}

// sign signs TIMESTAMP\nNONCE\nBODY\n with the platform key.
func (s *Server) sign(timestamp, nonce string, body []byte) []byte {
	return signMessage(s.platformKey, timestamp, nonce, body)
}

// signMessage signs TIMESTAMP\nNONCE\nBODY\n with key.
func signMessage(key *rsa.PrivateKey, timestamp, nonce string, body []byte) []byte {
	msg := make([]byte, 0, len(timestamp)+len(nonce)+len(body)+3)
	msg = append(msg, timestamp...)
	msg = append(msg, '\n')
	msg = append(msg, nonce...)
	msg = append(msg, '\n')
	msg = append(msg, body...)
	msg = append(msg, '\n')
	digest := sha256.Sum256(msg)
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		// Only an unusable key makes this fail; keys are checked when the
		// server starts, so answer with a signature that never verifies.
		return []byte{0}
	}
	return sig
}

// tamper changes a body in a way that keeps JSON objects valid JSON, so a
// client that skipped verification would parse the tampered answer.
func tamper(body []byte) []byte {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) >= 2 && trimmed[0] == '{' {
		rest := bytes.TrimSpace(trimmed[1:])
		sep := ","
		if len(rest) > 0 && rest[0] == '}' {
			sep = ""
		}
		return append([]byte(`{"tampered":true`+sep), trimmed[1:]...)
	}
	return append(append([]byte(nil), body...), "tampered"...)
}
