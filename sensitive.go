package wechatpay

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/wechatpay-chain/wechatpay/signer"
)

// Sensitive is a personal field (a name, an id number, a phone number, a
// bank account) that WeChat Pay wants encrypted. Anywhere inside the "json"
// option (map values, slice elements, struct fields, behind pointers and
// interfaces) it is sent as its RSA-OAEP ciphertext (SHA-1, MGF1-SHA-1)
// under the platform key [Client.Encrypt] would choose, and the request
// carries that key's Wechatpay-Serial.
//
// A Sensitive value never leaves as plaintext by accident: marshalling it
// with encoding/json outside a request is an error, and formatting it with
// fmt prints a placeholder. Convert it with string(s) to read it.
type Sensitive string

// sealedPrefix marks a Sensitive value that holds a ciphertext made for the
// request being prepared; only such values marshal.
const sealedPrefix = "\x00wechatpay-sealed\x00"

// errUnsealed is what marshalling a plaintext Sensitive value reports.
var errUnsealed = errors.New("wechatpay: a Sensitive value is only marshalled inside the \"json\" option of a request, which encrypts it")

// MarshalJSON implements json.Marshaler: the ciphertext of a sealed value,
// an error for a plaintext one.
func (s Sensitive) MarshalJSON() ([]byte, error) {
	ct, ok := strings.CutPrefix(string(s), sealedPrefix)
	if !ok {
		return nil, errUnsealed
	}
	return []byte(`"` + ct + `"`), nil // base64: nothing to escape
}

// String returns a placeholder, never the plaintext.
func (s Sensitive) String() string { return "wechatpay.Sensitive(redacted)" }

// GoString returns a placeholder, never the plaintext.
func (s Sensitive) GoString() string { return s.String() }

// Encrypt encrypts a sensitive field with RSA-OAEP (SHA-1, MGF1-SHA-1,
// empty label) and returns the base64 ciphertext and the serial (a public
// key id or a certificate serial) to send as Wechatpay-Serial with it.
//
// The key: the WeChat Pay public key ("PUB_KEY_ID_…") when Config.Certs has
// one; otherwise the newest platform certificate (downloaded from
// v3/certificates under ctx when Config.APIv3Key is set and none is known
// yet); a single static certificate is used as is. Several public keys, or
// several certificates whose dates the client does not know, are an error
// saying how to choose.
func (c *Client) Encrypt(ctx context.Context, plaintext string) (ciphertext, serial string, err error) {
	if ctx == nil {
		return "", "", errNilContext
	}
	serial, key, err := c.encryptionKey(ctx, "")
	if err != nil {
		return "", "", err
	}
	ct, err := signer.EncryptOAEP(key, plaintext)
	if err != nil {
		return "", "", fmt.Errorf("wechatpay: encrypting a sensitive field for %s: %w", serial, plainError{err})
	}
	return ct, serial, nil
}

// Decrypt decrypts a sensitive field of an answer (RSA-OAEP, SHA-1,
// MGF1-SHA-1) with the merchant private key, which must be a
// crypto.Decrypter (an *rsa.PrivateKey is). Failures match [ErrDecryption]
// and say nothing about the plaintext.
func (c *Client) Decrypt(ciphertext string) (string, error) {
	dec, ok := c.privateKey.(crypto.Decrypter)
	if !ok {
		return "", tagged(fmt.Sprintf("wechatpay: decrypting a sensitive field: the merchant key (%T) cannot decrypt", c.privateKey), ErrDecryption)
	}
	pt, err := signer.DecryptOAEP(dec, ciphertext)
	if err != nil {
		return "", tagged("wechatpay: decrypting a sensitive field: "+plainText(err), err, ErrDecryption)
	}
	return pt, nil
}

// encryptionKey chooses the key sensitive fields are encrypted with (see
// Encrypt). wanted is a Wechatpay-Serial the caller set on the request, or
// "": it may settle an ambiguous choice, and naming another key than the
// one chosen is an error.
func (c *Client) encryptionKey(ctx context.Context, wanted string) (string, *rsa.PublicKey, error) {
	keys := keyMap(c.certs.keys)
	var publicKeys, certs []string
	for serial := range keys {
		if strings.HasPrefix(serial, signer.PublicKeyIDPrefix) {
			publicKeys = append(publicKeys, serial)
		} else {
			certs = append(certs, serial)
		}
	}
	slices.Sort(publicKeys)
	slices.Sort(certs)

	var chosen string
	switch {
	case len(publicKeys) == 1:
		chosen = publicKeys[0]
	case len(publicKeys) > 1:
		if !slices.Contains(publicKeys, wanted) {
			return "", nil, fmt.Errorf("%w: Config.Certs holds %d WeChat Pay public keys (%s); keep only the current one, or name it with the \"headers\" option Wechatpay-Serial",
				ErrTemplate, len(publicKeys), strings.Join(publicKeys, ", "))
		}
		chosen = wanted
	default:
		downloaded := c.certs.certificates()
		if len(downloaded) == 0 && len(certs) != 1 && c.certs.canDownload() {
			if err := c.certs.refresh(ctx, false); err != nil && !errors.Is(err, errDownloadHeldBack) {
				return "", nil, fmt.Errorf("wechatpay: choosing the key for sensitive fields: downloading v3/certificates: %w", plainError{err})
			}
			downloaded, keys = c.certs.certificates(), keyMap(c.certs.keys)
		}
		switch {
		case len(downloaded) > 0:
			chosen = downloaded[0].Serial // newest
		case len(certs) == 1:
			chosen = certs[0]
		case len(certs) == 0:
			return "", nil, fmt.Errorf("%w: no platform key to encrypt sensitive fields with: put the WeChat Pay public key (PUB_KEY_ID_…) in Config.Certs, or set Config.APIv3Key to download the platform certificates", ErrTemplate)
		case slices.Contains(certs, wanted):
			chosen = wanted
		default:
			return "", nil, fmt.Errorf("%w: Config.Certs holds %d platform certificates (%s) and the client does not know which is newest; keep only the newest, set Config.APIv3Key so the client downloads their dates, or name one with the \"headers\" option Wechatpay-Serial",
				ErrTemplate, len(certs), strings.Join(certs, ", "))
		}
	}
	if wanted != "" && wanted != chosen {
		return "", nil, fmt.Errorf("%w: the \"headers\" option sets Wechatpay-Serial %q, but this request's sensitive fields are encrypted with %q; a request names the key that encrypted it (leave Wechatpay-Serial out)",
			ErrTemplate, wanted, chosen)
	}
	return chosen, keys[chosen], nil
}

// prepareSealed is prepare after encrypting the Sensitive values of the
// "json" option, with Wechatpay-Serial added to the headers.
func (ch *Chain) prepareSealed(ctx context.Context, method string, opts Options) (*preparedRequest, error) {
	if j, ok := opts[optJSON]; ok && hasSensitive(reflect.ValueOf(j), 0) {
		if ctx == nil {
			return nil, errNilContext
		}
		sealed, err := ch.client.sealOptions(ctx, opts)
		if err != nil {
			return nil, err
		}
		opts = sealed
	}
	return ch.prepare(method, opts)
}

// maxSensitiveDepth bounds the walk through nested values (and cycles).
const maxSensitiveDepth = 512

// sealOptions returns a copy of opts whose "json" value has every Sensitive
// replaced by its ciphertext (the caller's values are not modified) and
// whose headers carry the key's Wechatpay-Serial.
func (c *Client) sealOptions(ctx context.Context, opts Options) (Options, error) {
	header, wanted, err := serialHeader(opts[optHeaders])
	if err != nil {
		return nil, err
	}
	serial, key, err := c.encryptionKey(ctx, wanted)
	if err != nil {
		return nil, err
	}
	src := reflect.ValueOf(opts[optJSON])
	dst := reflect.New(src.Type()).Elem()
	dst.Set(src)
	if err := seal(dst, key, 0); err != nil {
		return nil, err
	}
	header.Set(signer.HeaderSerial, serial)
	out := maps.Clone(opts)
	out[optJSON] = dst.Interface()
	out[optHeaders] = header
	return out, nil
}

// serialHeader copies the "headers" option into an http.Header (as
// prepare does) and returns the Wechatpay-Serial it sets, if any.
func serialHeader(v any) (http.Header, string, error) {
	h, err := encodeHeaders(v)
	if err != nil {
		return nil, "", err
	}
	switch got := h.Values(signer.HeaderSerial); len(got) {
	case 0:
		return h, "", nil
	case 1:
		return h, got[0], nil
	default:
		return nil, "", fmt.Errorf("%w: option \"headers\" sets Wechatpay-Serial %d times", ErrTemplate, len(got))
	}
}

var sensitiveType = reflect.TypeFor[Sensitive]()

// hasSensitive reports whether v holds a Sensitive value anywhere json
// would marshal it, without modifying or copying anything.
func hasSensitive(v reflect.Value, depth int) bool {
	return (&finder{}).find(v, depth)
}

// finder walks a value once, skipping maps, slices and pointers it has
// already seen (so cycles end).
type finder struct {
	seen map[visit]bool
}

type visit struct {
	ptr uintptr
	typ reflect.Type
}

// first reports whether the reference v is met for the first time.
func (f *finder) first(v reflect.Value) bool {
	k := visit{v.Pointer(), v.Type()}
	if f.seen[k] {
		return false
	}
	if f.seen == nil {
		f.seen = map[visit]bool{}
	}
	f.seen[k] = true
	return true
}

func (f *finder) find(v reflect.Value, depth int) bool {
	if !v.IsValid() {
		return false
	}
	if depth > maxSensitiveDepth {
		return true // let seal report the depth
	}
	switch v.Kind() {
	case reflect.String:
		return v.Type() == sensitiveType
	case reflect.Interface:
		return !v.IsNil() && f.find(v.Elem(), depth+1)
	case reflect.Pointer:
		return !v.IsNil() && f.first(v) && f.find(v.Elem(), depth+1)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if marshalled(v.Type().Field(i)) && f.find(v.Field(i), depth+1) {
				return true
			}
		}
	case reflect.Map:
		if v.Len() == 0 || !f.first(v) {
			return false
		}
		if v.Type().Key() == sensitiveType {
			return true // seal refuses it
		}
		for it := v.MapRange(); it.Next(); {
			if f.find(it.Value(), depth+1) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 || v.Type().Elem().Kind() == reflect.Uint8 {
			return false // nothing, or []byte (base64 text)
		}
		if v.Kind() == reflect.Slice && !f.first(v) {
			return false
		}
		for i := 0; i < v.Len(); i++ {
			if f.find(v.Index(i), depth+1) {
				return true
			}
		}
	}
	return false
}

// marshalled reports whether encoding/json looks into field f: exported
// fields, and embedded structs (whose exported fields are promoted).
func marshalled(f reflect.StructField) bool {
	if f.Tag.Get("json") == "-" {
		return false
	}
	return f.IsExported() || (f.Anonymous && f.Type.Kind() == reflect.Struct)
}

// seal replaces, in dst (a settable copy), every Sensitive value by its
// ciphertext under key. Maps, slices and pointees are copied before they
// are changed, so the caller's values stay as they were.
func seal(dst reflect.Value, key *rsa.PublicKey, depth int) error {
	if depth > maxSensitiveDepth {
		return fmt.Errorf("%w: option \"json\" is nested more than %d levels deep (a cycle?)", ErrTemplate, maxSensitiveDepth)
	}
	if !hasSensitive(dst, depth) {
		return nil
	}
	switch dst.Kind() {
	case reflect.String:
		ct, err := signer.EncryptOAEP(key, dst.String())
		if err != nil {
			return fmt.Errorf("wechatpay: encrypting a sensitive field: %w", plainError{err})
		}
		dst.SetString(sealedPrefix + ct)
	case reflect.Interface:
		inner := copyOf(dst.Elem())
		if err := seal(inner, key, depth+1); err != nil {
			return err
		}
		if inner.Type() == sensitiveType {
			// In an interface the ciphertext can be a plain string.
			dst.Set(reflect.ValueOf(strings.TrimPrefix(inner.String(), sealedPrefix)))
			return nil
		}
		dst.Set(inner)
	case reflect.Pointer:
		p := reflect.New(dst.Type().Elem())
		p.Elem().Set(dst.Elem())
		if err := seal(p.Elem(), key, depth+1); err != nil {
			return err
		}
		dst.Set(p)
	case reflect.Struct:
		for i := 0; i < dst.NumField(); i++ {
			if marshalled(dst.Type().Field(i)) {
				if err := seal(dst.Field(i), key, depth+1); err != nil {
					return err
				}
			}
		}
	case reflect.Map:
		if dst.Type().Key() == sensitiveType {
			return fmt.Errorf("%w: option \"json\": a Sensitive value cannot be an object key", ErrTemplate)
		}
		m := reflect.MakeMapWithSize(dst.Type(), dst.Len())
		for it := dst.MapRange(); it.Next(); {
			val := copyOf(it.Value())
			if err := seal(val, key, depth+1); err != nil {
				return err
			}
			m.SetMapIndex(it.Key(), val)
		}
		dst.Set(m)
	case reflect.Slice:
		s := reflect.MakeSlice(dst.Type(), dst.Len(), dst.Len())
		reflect.Copy(s, dst)
		for i := 0; i < s.Len(); i++ {
			if err := seal(s.Index(i), key, depth+1); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Array:
		for i := 0; i < dst.Len(); i++ {
			if err := seal(dst.Index(i), key, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyOf returns a settable copy of v.
func copyOf(v reflect.Value) reflect.Value {
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}
