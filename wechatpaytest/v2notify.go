package wechatpaytest

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
)

// NewPaymentNotifyRequest builds the APIv2 payment notification WeChat
// Pay POSTs to a merchant: fields (out_trade_no, total_fee, …) plus
// return_code SUCCESS, result_code SUCCESS, mch_id and nonce_str when
// absent, signed with signType ("MD5" or "" for MD5, or "HMAC-SHA256") and
// sent as XML. Hand it to a handler with httptest.NewRecorder, or send it
// with [V2Server.Notify].
func (s *V2Server) NewPaymentNotifyRequest(ctx context.Context, url string, fields map[string]string, signType string) (*http.Request, error) {
	f := s.notifyFields(fields)
	if f["result_code"] == "" {
		f["result_code"] = "SUCCESS"
	}
	sign, err := v2Sign(f, s.key, signType)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: %w", err)
	}
	f["sign"] = sign
	return newXMLRequest(ctx, url, v2Marshal(f))
}

// NewRefundNotifyRequest builds the APIv2 refund notification: return_code
// SUCCESS, appid (from info, when given), mch_id, nonce_str and req_info,
// the <root> document of info encrypted with AES-256-ECB under the MD5 of
// the secret. Refund notifications carry no sign.
func (s *V2Server) NewRefundNotifyRequest(ctx context.Context, url string, info map[string]string) (*http.Request, error) {
	f := s.notifyFields(nil)
	if info["appid"] != "" {
		f["appid"] = info["appid"]
	}
	f["req_info"] = v2EncryptRefund(rootDocument(info), s.key)
	return newXMLRequest(ctx, url, v2Marshal(f))
}

// Notify sends a notification request built by NewPaymentNotifyRequest or
// NewRefundNotifyRequest. The caller closes the response body.
func (s *V2Server) Notify(req *http.Request) (*http.Response, error) {
	resp, err := s.notify.Do(req)
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: posting an APIv2 notification: %w", err)
	}
	return resp, nil
}

func (s *V2Server) notifyFields(fields map[string]string) map[string]string {
	f := map[string]string{"return_code": "SUCCESS", "mch_id": s.mchid, "nonce_str": nonce(32)}
	for k, v := range fields {
		f[k] = v
	}
	return f
}

// rootDocument writes info as <root>…</root>, the plaintext of req_info.
func rootDocument(info map[string]string) []byte {
	xmlDoc := v2Marshal(info)
	inner := strings.TrimSuffix(strings.TrimPrefix(string(xmlDoc), "<xml>"), "</xml>")
	return []byte("<root>" + inner + "</root>")
}

func newXMLRequest(ctx context.Context, url string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("wechatpaytest: %w", err)
	}
	req.Header.Set("Content-Type", "text/xml")
	return req, nil
}
