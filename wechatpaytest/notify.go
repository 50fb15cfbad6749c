package wechatpaytest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// notification is the JSON body of a callback, fields in WeChat Pay's order.
type notification struct {
	ID           string            `json:"id"`
	CreateTime   string            `json:"create_time"`
	ResourceType string            `json:"resource_type"`
	EventType    string            `json:"event_type"`
	Summary      string            `json:"summary"`
	Resource     EncryptedResource `json:"resource"`
}

// EncryptedResource is the "resource" object of a callback, as
// [NotifyAlterResource] sees it after encryption and before signing.
type EncryptedResource struct {
	OriginalType   string `json:"original_type"`
	Algorithm      string `json:"algorithm"`
	Ciphertext     string `json:"ciphertext"`
	AssociatedData string `json:"associated_data"`
	Nonce          string `json:"nonce"`
}

// Notify POSTs a callback to url as WeChat Pay would: a JSON body
// {"id","create_time","resource_type":"encrypt-resource","event_type",
// "summary","resource":{…}} whose resource is the JSON encoding of resource
// encrypted with AEAD_AES_256_GCM under the APIv3 key (a 12-character nonce,
// associated data and original_type derived from eventType: "transaction"
// for TRANSACTION.*, "refund" for REFUND.*), signed with the platform key in
// the four Wechatpay-* headers. A []byte or json.RawMessage resource is
// encrypted as is. The caller closes the response body.
//
// Options change how the callback is signed or built: [NotifyProbe],
// [NotifyClockSkew], [NotifySignedBy], [NotifySignedByCertificate] and
// [NotifyAlterResource].
func (s *Server) Notify(ctx context.Context, url, eventType string, resource any, opts ...NotifyOption) (*http.Response, error) {
	req, err := s.NewNotifyRequest(ctx, url, eventType, resource, opts...)
	if err != nil {
		return nil, err
	}
	resp, err := s.notifyClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: posting %s callback: %w", eventType, err)
	}
	return resp, nil
}

// NewNotifyRequest builds the signed callback request [Server.Notify] sends,
// for handing straight to a merchant's http.Handler (with
// httptest.NewRecorder) or for altering before sending.
func (s *Server) NewNotifyRequest(ctx context.Context, url, eventType string, resource any, opts ...NotifyOption) (*http.Request, error) {
	nc, err := s.notifyConfig(opts)
	if err != nil {
		return nil, err
	}
	plaintext, err := resourceBytes(resource)
	if err != nil {
		return nil, err
	}
	originalType, summary := describeEvent(eventType)
	n := nonce(12)
	ct, err := Encrypt(s.apiv3Key, n, originalType, plaintext)
	if err != nil {
		return nil, err
	}
	res := EncryptedResource{
		OriginalType:   originalType,
		Algorithm:      algorithmAEAD,
		Ciphertext:     ct,
		AssociatedData: originalType,
		Nonce:          n,
	}
	if nc.alter != nil {
		nc.alter(&res)
	}
	body, err := marshalNoEscape(notification{
		ID:           uuid(),
		CreateTime:   formatTime(s.now()),
		ResourceType: "encrypt-resource",
		EventType:    eventType,
		Summary:      summary,
		Resource:     res,
	})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: building the %s callback: %w", eventType, err)
	}
	ts := strconv.FormatInt(s.now().Add(nc.skew).Unix(), 10)
	sigNonce := nonce(32)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Mozilla/4.0")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, sigNonce)
	req.Header.Set(HeaderSignature, nc.signature(ts, sigNonce, body))
	req.Header.Set(HeaderSerial, nc.serial)
	req.Header.Set(HeaderSignatureType, AuthScheme)
	return req, nil
}

// resourceBytes is the plaintext of a callback resource.
func resourceBytes(resource any) ([]byte, error) {
	switch r := resource.(type) {
	case []byte:
		return r, nil
	case json.RawMessage:
		return r, nil
	}
	b, err := marshalNoEscape(resource)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: encoding the callback resource: %w", err)
	}
	return b, nil
}

// describeEvent derives original_type (also the associated data) and the
// summary from an event type such as "TRANSACTION.SUCCESS".
func describeEvent(eventType string) (originalType, summary string) {
	kind, _, _ := strings.Cut(eventType, ".")
	originalType = strings.ToLower(kind)
	if originalType == "" {
		originalType = "transaction"
	}
	switch eventType {
	case "TRANSACTION.SUCCESS":
		summary = "支付成功"
	case "REFUND.SUCCESS":
		summary = "退款成功"
	case "REFUND.ABNORMAL":
		summary = "退款异常"
	case "REFUND.CLOSED":
		summary = "退款关闭"
	default:
		summary = eventType
	}
	return originalType, summary
}

// marshalNoEscape is json.Marshal without HTML escaping, as WeChat Pay
// writes JSON.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("wechatpaytest: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// uuid returns a random version-4 UUID.
func uuid() string {
	h := randomString(32, "0123456789abcdef")
	b := []byte(h)
	b[12] = '4'
	b[16] = "89ab"[strings.IndexByte("0123456789abcdef", b[16])%4]
	return string(b[0:8]) + "-" + string(b[8:12]) + "-" + string(b[12:16]) + "-" + string(b[16:20]) + "-" + string(b[20:32])
}
