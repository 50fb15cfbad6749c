package wechatpaytest

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"
)

// MaxClockSkew is how far a request's timestamp may be from the server's
// clock, either way, and still pass.
const MaxClockSkew = 300 * time.Second

// truncatedSignMessage is how many leading bytes of the rebuilt message a
// SIGN_ERROR answer quotes in detail.sign_information.
const truncatedSignMessage = 128

// signInformation is detail.sign_information of a 401 SIGN_ERROR answer:
// what the server rebuilt and verified, as WeChat Pay reports it.
type signInformation struct {
	Method               string `json:"method"`
	URL                  string `json:"url"`
	SignMessageLength    int    `json:"sign_message_length"`
	TruncatedSignMessage string `json:"truncated_sign_message"`
}

// verifyRequest checks a request's Authorization the way WeChat Pay does and
// returns "" when it passes, or the reason it does not, and for a
// signature mismatch the sign_information a SIGN_ERROR answer carries.
// The reason is meant for the person debugging a client: it says what was
// wrong without quoting the signature.
func (s *Server) verifyRequest(r *http.Request, body []byte) (string, *signInformation) {
	reason, msg := s.checkAuthorization(r, body)
	if msg == nil {
		return reason, nil
	}
	return reason, &signInformation{
		Method:               r.Method,
		URL:                  r.RequestURI,
		SignMessageLength:    len(msg),
		TruncatedSignMessage: string(msg[:min(len(msg), truncatedSignMessage)]),
	}
}

// checkAuthorization does the checks of verifyRequest; on a signature
// mismatch it also returns the message it rebuilt.
func (s *Server) checkAuthorization(r *http.Request, body []byte) (string, []byte) {
	fail := func(reason string) (string, []byte) { return reason, nil }
	values := r.Header.Values("Authorization")
	switch len(values) {
	case 0:
		return fail("missing Authorization header")
	case 1:
	default:
		return fail(fmt.Sprintf("%d Authorization headers; want exactly one", len(values)))
	}
	a, err := parseAuthorization(values[0])
	if err != nil {
		return fail(err.Error())
	}
	if a.mchid != s.mchid {
		return fail(fmt.Sprintf("wrong mchid: Authorization says %q, this server's merchant is %q", truncate(a.mchid, 40), s.mchid))
	}
	if a.serialNo != s.merchantSerial {
		return fail(fmt.Sprintf("unknown serial_no %q: the merchant's API certificate serial is %q", truncate(a.serialNo, 64), s.merchantSerial))
	}
	ts, err := parseTimestamp(a.timestamp)
	if err != nil {
		return fail(err.Error())
	}
	now := s.now().Unix()
	if d := now - ts; d > int64(MaxClockSkew/time.Second) || d < -int64(MaxClockSkew/time.Second) {
		return fail(fmt.Sprintf("timestamp expired: %s is %d s from the server clock %d (at most %d s allowed)",
			a.timestamp, ts-now, now, int64(MaxClockSkew/time.Second)))
	}
	if n := utf8.RuneCountInString(a.nonceStr); n < 1 || n > 32 {
		return fail(fmt.Sprintf("nonce_str must be 1 to 32 characters, got %d", n))
	}
	sig, err := base64.StdEncoding.DecodeString(a.signature)
	if err != nil {
		return fail("signature is not valid base64")
	}
	signed, err := signedRequestBody(r.Header.Get("Content-Type"), body)
	if err != nil {
		return fail(err.Error())
	}
	msg := requestMessage(r.Method, r.RequestURI, a.timestamp, a.nonceStr, signed)
	digest := sha256.Sum256(msg)
	if err := rsa.VerifyPKCS1v15(&s.merchantKey.PublicKey, crypto.SHA256, digest[:], sig); err != nil {
		return fmt.Sprintf("signature mismatch: it does not verify with the merchant key over %s "+
			"(method %s, URI %q, timestamp %s, nonce_str %s, body of %d bytes with SHA-256 %x)",
			`METHOD\nURI\nTIMESTAMP\nNONCE\nBODY\n`, r.Method, r.RequestURI, a.timestamp, a.nonceStr,
			len(signed), sha256.Sum256(signed)), msg
	}
	return "", nil
}

// requestMessage builds METHOD\nURI\nTIMESTAMP\nNONCE\nBODY\n.
func requestMessage(method, uri, timestamp, nonce string, body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(method) + len(uri) + len(timestamp) + len(nonce) + len(body) + 5)
	for _, part := range []string{method, uri, timestamp, nonce} {
		b.WriteString(part)
		b.WriteByte('\n')
	}
	b.Write(body)
	b.WriteByte('\n')
	return b.Bytes()
}

// parseTimestamp accepts Unix seconds written as 1 to 18 decimal digits
// (no sign, no spaces).
func parseTimestamp(s string) (int64, error) {
	if s == "" || len(s) > 18 {
		return 0, fmt.Errorf("timestamp %q is not Unix seconds in decimal", truncate(s, 24))
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("timestamp %q is not Unix seconds in decimal", truncate(s, 24))
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

// signedRequestBody returns the bytes a request's signature covers: the body,
// or for a multipart/form-data media upload the bytes of its "meta" part.
func signedRequestBody(contentType string, body []byte) ([]byte, error) {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil || mediaType != "multipart/form-data" {
		return body, nil
	}
	meta, err := formPart(params["boundary"], body, "meta")
	if err != nil {
		return nil, fmt.Errorf("multipart/form-data upload: %w; its signature must cover the meta part's JSON", err)
	}
	return meta, nil
}

// errNoPart: the multipart body has no part of that name.
var errNoPart = errors.New("no such part")

// formPart returns the raw bytes of the form-data part called name.
func formPart(boundary string, body []byte, name string) ([]byte, error) {
	if boundary == "" {
		return nil, errors.New("the Content-Type has no boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w %q", errNoPart, name)
		}
		if err != nil {
			return nil, fmt.Errorf("reading the multipart body: %w", err)
		}
		if p.FormName() != name {
			continue
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, fmt.Errorf("reading part %q: %w", name, err)
		}
		return b, nil
	}
}
