package wechatpaytest

import (
	"bytes"
	"crypto/aes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// The server's own APIv2 wire code: it must not share the client's, so
// that it checks the client independently.

// v2SignString builds k=v&…&key=secret over the sorted non-empty fields
// other than sign.
func v2SignString(fields map[string]string, secret string) string {
	keys := make([]string, 0, len(fields))
	for k, v := range fields {
		if k != "sign" && v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + fields[k] + "&")
	}
	b.WriteString("key=" + secret)
	return b.String()
}

// v2Sign computes the sign with signType "MD5" (or "") or "HMAC-SHA256".
func v2Sign(fields map[string]string, secret, signType string) (string, error) {
	s := v2SignString(fields, secret)
	switch signType {
	case "", "MD5":
		sum := md5.Sum([]byte(s))
		return strings.ToUpper(hex.EncodeToString(sum[:])), nil
	case "HMAC-SHA256":
		m := hmac.New(sha256.New, []byte(secret))
		m.Write([]byte(s))
		return strings.ToUpper(hex.EncodeToString(m.Sum(nil))), nil
	}
	return "", fmt.Errorf("unsupported sign_type %q", signType)
}

// v2CheckSign verifies fields' sign with the type sign_type names.
func v2CheckSign(fields map[string]string, secret string) error {
	got := fields["sign"]
	if got == "" {
		return errors.New("missing sign")
	}
	want, err := v2Sign(fields, secret, fields["sign_type"])
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errors.New("sign mismatch")
	}
	return nil
}

// v2Parse reads a flat <xml> document; DTDs, directives and repeated
// fields are refused.
func v2Parse(data []byte) (map[string]string, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	fields := map[string]string{}
	depth, name := 0, ""
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 1 && t.Name.Local != "xml" {
				return nil, fmt.Errorf("root <%s>, want <xml>", t.Name.Local)
			}
			if depth == 2 {
				name = t.Name.Local
				text.Reset()
			}
			if depth > 2 {
				return nil, errors.New("nested element in a request")
			}
		case xml.EndElement:
			if depth == 2 {
				if _, dup := fields[name]; dup {
					return nil, fmt.Errorf("field %q repeated", name)
				}
				fields[name] = text.String()
			}
			depth--
		case xml.CharData:
			if depth == 2 {
				text.Write(t)
			}
		case xml.Directive:
			return nil, errors.New("directives (DTD) are not accepted")
		}
	}
	if depth != 0 {
		return nil, errors.New("unbalanced document")
	}
	return fields, nil
}

// v2Marshal writes fields as <xml>, sorted, CDATA for text that needs it.
func v2Marshal(fields map[string]string) []byte {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("<xml>")
	for _, k := range keys {
		v := fields[k]
		b.WriteString("<" + k + ">")
		if strings.ContainsAny(v, "<>&\"") && !strings.Contains(v, "]]>") {
			b.WriteString("<![CDATA[" + v + "]]>")
		} else {
			xml.EscapeText(&b, []byte(v))
		}
		b.WriteString("</" + k + ">")
	}
	b.WriteString("</xml>")
	return b.Bytes()
}

// v2EncryptRefund encrypts a refund notification's req_info: AES-256-ECB,
// PKCS#7, key = lower-case hex MD5 of the secret.
func v2EncryptRefund(plain []byte, secret string) string {
	sum := md5.Sum([]byte(secret))
	return ecbEncrypt([]byte(hex.EncodeToString(sum[:])), plain)
}

// ecbEncrypt is AES-ECB with PKCS#7 padding under a 32-byte key.
func ecbEncrypt(key, plain []byte) string {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 32-byte key always works
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	padded := append(bytes.Clone(plain), bytes.Repeat([]byte{byte(pad)}, pad)...)
	out := make([]byte, len(padded))
	for i := 0; i < len(padded); i += aes.BlockSize {
		block.Encrypt(out[i:i+aes.BlockSize], padded[i:i+aes.BlockSize])
	}
	return base64.StdEncoding.EncodeToString(out)
}
