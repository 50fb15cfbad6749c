package wechatpay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// MaxNotificationBytes is the largest callback body [Client.ParseNotification]
// and [Client.NotificationHandler] accept (1 MiB); WeChat Pay's are a few
// kilobytes.
const MaxNotificationBytes = 1 << 20

// ErrDecryption matches, with [errors.Is], a callback whose envelope is not
// the expected JSON, names an algorithm other than AEAD_AES_256_GCM, or
// does not decrypt with the APIv3 key; also a platform certificate or a
// sensitive field that does not decrypt. Such errors never carry the key
// or any plaintext.
var ErrDecryption = signer.ErrDecryption

// ErrNotificationTooLarge matches a callback body over MaxNotificationBytes.
var ErrNotificationTooLarge = errors.New("wechatpay: callback body over 1 MiB")

// algorithmAEAD is the only resource algorithm WeChat Pay uses.
const algorithmAEAD = "AEAD_AES_256_GCM"

// Notification is a callback (notification) from WeChat Pay whose
// signature verified and whose resource decrypted. The string fields are as
// sent; the decrypted resource is read with Plaintext, Get or Decode.
type Notification struct {
	ID           string // "id", unique per notification: deduplicate on it
	CreateTime   string // "create_time", RFC 3339
	EventType    string // "event_type", e.g. "TRANSACTION.SUCCESS"
	ResourceType string // "resource_type", "encrypt-resource"
	Summary      string // "summary", e.g. "支付成功"
	OriginalType string // "resource.original_type", e.g. "transaction"

	plaintext []byte
}

// Plaintext returns the decrypted resource (JSON for every documented event
// type). The slice is shared: do not modify it.
func (n *Notification) Plaintext() []byte { return n.plaintext }

// Get returns the value at path (gjson syntax, e.g. "amount.total") of the
// decrypted resource.
func (n *Notification) Get(path string) gjson.Result { return gjson.GetBytes(n.plaintext, path) }

// Decode unmarshals the decrypted resource into v.
func (n *Notification) Decode(v any) error {
	if err := json.Unmarshal(n.plaintext, v); err != nil {
		return fmt.Errorf("wechatpay: decoding the %s callback %s: %w", n.EventType, n.ID, err)
	}
	return nil
}

// String describes the notification without its decrypted resource, so
// logging a Notification never writes personal data.
func (n *Notification) String() string {
	return fmt.Sprintf("wechatpay.Notification{ID:%q EventType:%q CreateTime:%q, %d-byte resource}", n.ID, n.EventType, n.CreateTime, len(n.plaintext))
}

// GoString is String, for %#v.
func (n *Notification) GoString() string { return n.String() }

// envelope is the JSON body of a callback.
type envelope struct {
	ID, CreateTime, EventType, ResourceType, Summary string
	hasResource                                      bool
	OriginalType, Algorithm, Ciphertext, AD, Nonce   string
}

// parseEnvelope reads a callback body with gjson, in one pass over the
// members it needs (encoding/json took a quarter of a callback's cost).
// Every field it reads must be a string; the resource an object. The body
// is not validated as a whole beforehand: its signature has verified, so
// it is WeChat Pay's, and a garbled resource would not decrypt anyway.
func parseEnvelope(body []byte) (envelope, error) {
	var env envelope
	top := gjson.ParseBytes(body)
	if !top.IsObject() {
		return env, errors.New("the body is not a JSON object")
	}
	var resource gjson.Result
	err := readStrings(top, []stringField{
		{"id", &env.ID}, {"create_time", &env.CreateTime}, {"event_type", &env.EventType},
		{"resource_type", &env.ResourceType}, {"summary", &env.Summary}, {"resource", nil},
	}, &resource)
	if err != nil || !resource.Exists() {
		return env, err
	}
	if !resource.IsObject() {
		return env, errors.New("resource is not an object")
	}
	env.hasResource = true
	return env, readStrings(resource, []stringField{
		{"original_type", &env.OriginalType}, {"algorithm", &env.Algorithm}, {"ciphertext", &env.Ciphertext},
		{"associated_data", &env.AD}, {"nonce", &env.Nonce},
	}, nil)
}

// stringField names a JSON member and where its string goes; a nil dst
// asks for the raw value instead.
type stringField struct {
	key string
	dst *string
}

// readStrings copies the members of obj named in fields: strings into
// their dst, the one with a nil dst into *raw. A named member that is not a
// string is an error; other members are ignored.
func readStrings(obj gjson.Result, fields []stringField, raw *gjson.Result) error {
	var problem error
	obj.ForEach(func(k, v gjson.Result) bool {
		for _, f := range fields {
			if f.key != k.Str {
				continue
			}
			switch {
			case f.dst == nil:
				*raw = v
			case v.Type != gjson.String:
				problem = fmt.Errorf("field %q is not a string", k.Str)
			default:
				*f.dst = v.Str
			}
			break
		}
		return problem == nil
	})
	return problem
}

// ParseNotification reads a callback request: at most MaxNotificationBytes
// of its body, then [Client.ParseNotificationBytes] under the request's
// context. It does not close r.Body (the server does).
func (c *Client) ParseNotification(r *http.Request) (*Notification, error) {
	if r == nil || r.Body == nil {
		return nil, tagged("wechatpay: callback: no request body", ErrDecryption)
	}
	body, err := readNotificationBody(r)
	if err != nil {
		return nil, err
	}
	return c.ParseNotificationBytes(r.Context(), r.Header, body)
}

// readNotificationBody reads at most MaxNotificationBytes of r.Body.
func readNotificationBody(r *http.Request) ([]byte, error) {
	if r.ContentLength > MaxNotificationBytes {
		return nil, fmt.Errorf("%w (Content-Length %d)", ErrNotificationTooLarge, r.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxNotificationBytes+1))
	if err != nil {
		return nil, fmt.Errorf("wechatpay: callback: reading the body: %w", err)
	}
	if len(body) > MaxNotificationBytes {
		return nil, ErrNotificationTooLarge
	}
	return body, nil
}

// ParseNotificationBytes verifies and decrypts a callback given its headers
// and raw body, for frameworks that hand over both (gin, echo, fiber,
// serverless functions). ctx bounds a certificate download the callback's
// serial may need.
//
// The signature is checked exactly as an answer's: the four Wechatpay-*
// headers present, Wechatpay-Timestamp within 300 s of Config.Clock, the
// key looked up by Wechatpay-Serial (in certificate mode an unknown
// certificate serial downloads v3/certificates, as for answers), an RSA
// SHA-256 signature over TIMESTAMP\nNONCE\nBODY\n. A failure matches
// [ErrVerification]; a WECHATPAY/SIGNTEST/ probe also matches
// ErrSignatureProbe. Only then is resource decrypted with AEAD_AES_256_GCM
// under Config.APIv3Key; a bad envelope, another algorithm or a failed
// decryption matches [ErrDecryption]. A body over MaxNotificationBytes
// matches [ErrNotificationTooLarge].
func (c *Client) ParseNotificationBytes(ctx context.Context, header http.Header, body []byte) (*Notification, error) {
	if ctx == nil {
		return nil, errNilContext
	}
	if len(body) > MaxNotificationBytes {
		return nil, ErrNotificationTooLarge
	}
	if err := c.verifyNotification(ctx, header, body); err != nil {
		return nil, err
	}
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, tagged("wechatpay: callback: the body is not a callback envelope: "+err.Error(), ErrDecryption)
	}
	id := env.ID
	switch {
	case !env.hasResource:
		return nil, tagged(fmt.Sprintf("wechatpay: callback %s: no resource", id), ErrDecryption)
	case env.Algorithm != algorithmAEAD:
		return nil, tagged(fmt.Sprintf("wechatpay: callback %s: unsupported resource algorithm %q (want %s)", id, env.Algorithm, algorithmAEAD), ErrDecryption)
	case c.apiV3Key == "":
		return nil, tagged(fmt.Sprintf("wechatpay: callback %s: Config.APIv3Key is not set, so the resource cannot be decrypted", id), ErrDecryption)
	}
	plaintext, err := signer.DecryptAEAD(c.apiV3Key, env.Nonce, env.AD, env.Ciphertext)
	if err != nil {
		return nil, tagged(fmt.Sprintf("wechatpay: callback %s (%s): %s", id, env.EventType, plainText(err)), err, ErrDecryption)
	}
	return &Notification{
		ID:           env.ID,
		CreateTime:   env.CreateTime,
		EventType:    env.EventType,
		ResourceType: env.ResourceType,
		Summary:      env.Summary,
		OriginalType: env.OriginalType,
		plaintext:    plaintext,
	}, nil
}

// verifyNotification checks the callback's signature like an answer's.
func (c *Client) verifyNotification(ctx context.Context, header http.Header, body []byte) error {
	v := c.verifier
	if v == nil {
		v = c.certs.verifier(ctx)
	}
	err := signer.VerifyHeaders(v, header, body, c.now())
	if err == nil {
		return nil
	}
	msg := "wechatpay: callback: " + plainText(err)
	if id := header.Get("Request-ID"); id != "" {
		msg += " (request id " + id + ")"
	}
	return tagged(msg, err, ErrVerification) // a probe also matches ErrSignatureProbe, through err
}

// isProbeSignature reports whether a Wechatpay-Signature is a WeChat Pay
// probe.
func isProbeSignature(sig string) bool { return strings.HasPrefix(sig, signer.ProbePrefix) }
