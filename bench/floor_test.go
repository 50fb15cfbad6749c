package bench

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// floor is contestant (a): the signed and verified round trip written by
// hand with net/http, encoding/json and crypto/rsa, doing only what the
// protocol requires. Nothing can be cheaper and still be correct.
type floor struct {
	hc     *http.Client
	base   string
	mchID  string
	serial string
	key    *rsa.PrivateKey
	// platformSerial and platformKey verify answers (public key mode).
	platformSerial string
	platformKey    *rsa.PublicKey
}

func newFloor(base string, tr http.RoundTripper) *floor {
	return &floor{
		hc:             &http.Client{Transport: tr},
		base:           base,
		mchID:          srv.MchID,
		serial:         srv.MerchantSerial,
		key:            srv.merchantKey,
		platformSerial: srv.PlatformSerial,
		platformKey:    srv.platformKey,
	}
}

// post sends the seed POST: marshal, sign, send, read, verify.
func (f *floor) post(ctx context.Context, cardID, code string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	_, err = f.do(ctx, http.MethodPost, f.base+seedURL(cardID, code), body, http.StatusNoContent)
	return err
}

// get sends the order query and returns the verified answer.
func (f *floor) get(ctx context.Context, outTradeNo string) ([]byte, error) {
	return f.do(ctx, http.MethodGet, f.base+queryURL(outTradeNo, f.mchID), nil, http.StatusOK)
}

func (f *floor) do(ctx context.Context, method, url string, body []byte, want int) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	nonce := floorNonce()
	msg := method + "\n" + req.URL.RequestURI() + "\n" + ts + "\n" + nonce + "\n" + string(body) + "\n"
	digest := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(nil, f.key, crypto.SHA256, digest[:])
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", `WECHATPAY2-SHA256-RSA2048 mchid="`+f.mchID+`",serial_no="`+f.serial+
		`",timestamp="`+ts+`",nonce_str="`+nonce+`",signature="`+base64.StdEncoding.EncodeToString(sig)+`"`)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "floor/1.0")
	req.Header.Set("Wechatpay-Serial", f.platformSerial)
	resp, err := f.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != want {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, answer)
	}
	return answer, verifyAnswer(resp.Header, answer, f.platformSerial, f.platformKey)
}

// verifyAnswer checks the four Wechatpay-* headers of an answer or a
// callback over body.
func verifyAnswer(h http.Header, body []byte, serial string, key *rsa.PublicKey) error {
	if got := h.Get("Wechatpay-Serial"); got != serial {
		return fmt.Errorf("unknown serial %q", got)
	}
	ts := h.Get("Wechatpay-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 300*time.Second {
		return fmt.Errorf("bad timestamp %q", ts)
	}
	sig, err := base64.StdEncoding.DecodeString(h.Get("Wechatpay-Signature"))
	if err != nil {
		return err
	}
	digest := sha256.Sum256([]byte(ts + "\n" + h.Get("Wechatpay-Nonce") + "\n" + string(body) + "\n"))
	return rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig)
}

// floorNonce draws 32 characters from [0-9A-Za-z] without modulo bias.
func floorNonce() string {
	const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	var buf [48]byte
	var out [32]byte
	n := 0
	for n < len(out) {
		rand.Read(buf[:])
		for _, c := range buf {
			if c < 248 && n < len(out) { // 248 = 4*62
				out[n] = alphabet[c%62]
				n++
			}
		}
	}
	return string(out[:])
}
