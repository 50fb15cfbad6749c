package wechatpay

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"

	"github.com/tidwall/gjson"

	"github.com/wechatpay-chain/wechatpay/apiv2"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// MaxV2NotificationBytes is the largest APIv2 notification body read.
const MaxV2NotificationBytes = 1 << 20

// errV2NotificationTooLarge is wrapped when a notification body is over
// MaxV2NotificationBytes.
var errV2NotificationTooLarge = errors.New("wechatpay: APIv2 notification over 1 MiB")

// V2Notification is a verified APIv2 notification: a payment result
// (signed XML) or a refund result (whose req_info was decrypted). It is
// the APIv2 counterpart of [Notification].
type V2Notification struct {
	body   []byte
	fields map[string]string // the outer document
	info   map[string]string // the decrypted req_info of a refund notification; nil otherwise
}

// IsRefund reports whether the notification is a refund result (it carried
// req_info).
func (n *V2Notification) IsRefund() bool { return n.info != nil }

// Get returns a field as a gjson string result: for a refund notification,
// a field of the decrypted req_info when it has it, else of the outer
// document.
func (n *V2Notification) Get(name string) gjson.Result {
	if v, ok := n.info[name]; ok {
		return xmlField(map[string]string{name: v}, name)
	}
	return xmlField(n.fields, name)
}

// Fields returns a copy of the outer document's fields.
func (n *V2Notification) Fields() map[string]string { return maps.Clone(n.fields) }

// Info returns a copy of the decrypted req_info fields of a refund
// notification, or nil.
func (n *V2Notification) Info() map[string]string { return maps.Clone(n.info) }

// Body returns the notification body as received.
func (n *V2Notification) Body() []byte { return n.body }

// ParseV2Notification reads (at most MaxV2NotificationBytes) and checks an
// APIv2 notification; see [Client.ParseV2NotificationBytes].
func (c *Client) ParseV2Notification(r *http.Request) (*V2Notification, error) {
	if r == nil || r.Body == nil {
		return nil, fmt.Errorf("wechatpay: APIv2 notification: no body")
	}
	defer r.Body.Close()
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxV2NotificationBytes+1))
	if err != nil {
		return nil, fmt.Errorf("wechatpay: reading APIv2 notification: %w", err)
	}
	if len(body) > MaxV2NotificationBytes {
		return nil, errV2NotificationTooLarge
	}
	return c.ParseV2NotificationBytes(body)
}

// ParseV2NotificationBytes checks an APIv2 notification body with the
// client's APIv2Key. The XML is parsed safely (no DTD, no entities); a
// mch_id other than the client's fails. A refund notification (one with
// req_info) has req_info decrypted (AES-256-ECB under the MD5 of the
// secret; a failure matches ErrDecryption via signer.ErrDecryption); any
// other notification must carry a sign that verifies, its type inferred
// from its length (a missing or empty sign fails: verification is never
// skipped). Signature failures match [ErrVerification].
func (c *Client) ParseV2NotificationBytes(body []byte) (*V2Notification, error) {
	if !c.v2.hasKey {
		return nil, fmt.Errorf("wechatpay: APIv2 notification: this client has no APIv2 secret (Config.APIv2Key)")
	}
	fields, err := apiv2.Decode(body)
	if err != nil {
		return nil, fmt.Errorf("wechatpay: APIv2 notification: %w", err)
	}
	if id, ok := fields["mch_id"]; ok && id != c.mchID {
		return nil, &signer.VerificationError{Rule: signer.RuleMalformed, Detail: fmt.Sprintf("APIv2 notification for merchant %q, not %q", id, c.mchID)}
	}
	n := &V2Notification{body: body, fields: fields}
	reqInfo, refund := fields[apiv2.FieldReqInfo]
	if !refund || fields[apiv2.FieldSign] != "" {
		if err := apiv2.Verify(fields, c.v2.key); err != nil {
			return nil, fmt.Errorf("wechatpay: APIv2 notification: %w", err)
		}
	}
	if refund {
		plain, err := apiv2.DecryptRefundInfo(reqInfo, c.v2.key)
		if err != nil {
			return nil, fmt.Errorf("wechatpay: APIv2 refund notification: %w", err)
		}
		if n.info, err = apiv2.DecodeRoot(plain, "root"); err != nil {
			return nil, fmt.Errorf("wechatpay: APIv2 refund notification: req_info is not a <root> document: %w: %w", signer.ErrDecryption, err)
		}
	}
	return n, nil
}

// V2NotificationHandler returns an http.Handler for APIv2 notifications,
// the counterpart of [Client.NotificationHandler]. It accepts POST only
// (405 otherwise), parses with ParseV2Notification and calls fn. WeChat
// Pay reads the XML answer: verified and fn returned nil: 200 with
// <xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg></xml>;
// otherwise <xml><return_code>FAIL</return_code><return_msg>…</return_msg></xml>
// with 401 (verification failed; fn not called), 400 (decryption or a
// malformed body), 413 (over 1 MiB) or 500 (fn returned an error or
// panicked, so WeChat Pay retries). Messages never carry keys or
// plaintext.
func (c *Client) V2NotificationHandler(fn func(ctx context.Context, n *V2Notification) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeV2Answer(w, http.StatusMethodNotAllowed, "FAIL", "POST only")
			return
		}
		n, err := c.ParseV2Notification(r)
		switch {
		case errors.Is(err, errV2NotificationTooLarge):
			writeV2Answer(w, http.StatusRequestEntityTooLarge, "FAIL", "notification too large")
			return
		case errors.Is(err, ErrVerification):
			writeV2Answer(w, http.StatusUnauthorized, "FAIL", "signature verification failed")
			return
		case errors.Is(err, signer.ErrDecryption):
			writeV2Answer(w, http.StatusBadRequest, "FAIL", "req_info decryption failed")
			return
		case err != nil:
			writeV2Answer(w, http.StatusBadRequest, "FAIL", "malformed notification")
			return
		}
		if err := callV2Handler(r.Context(), fn, n); err != nil {
			writeV2Answer(w, http.StatusInternalServerError, "FAIL", "handler failed")
			return
		}
		writeV2Answer(w, http.StatusOK, "SUCCESS", "OK")
	})
}

// callV2Handler runs fn, turning a panic into an error.
func callV2Handler(ctx context.Context, fn func(context.Context, *V2Notification) error, n *V2Notification) (err error) {
	defer recoverInto(&err)
	if fn == nil {
		return nil
	}
	return fn(ctx, n)
}

// writeV2Answer writes the XML acknowledgement WeChat Pay expects.
func writeV2Answer(w http.ResponseWriter, status int, code, msg string) {
	body, _ := apiv2.Encode(map[string]string{"return_code": code, "return_msg": msg})
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}
