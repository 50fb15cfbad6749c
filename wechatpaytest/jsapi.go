package wechatpaytest

import (
	"net/http"
	"strings"
)

// RouteJSAPIPrepay creates a JSAPI (Official Account / Mini Program) order.
const RouteJSAPIPrepay = "v3/pay/transactions/jsapi"

// kind is the order's trade_type.
func (o *order) kind() string {
	if o.tradeType == "" {
		return "NATIVE"
	}
	return o.tradeType
}

// jsapiPrepay creates an order like the Native route, also requiring
// payer.openid, and answers its prepay_id (valid two hours at WeChat Pay).
func (s *Server) jsapiPrepay(r *Request) Reply {
	b, bad := decodeBody(r)
	if bad != nil {
		return *bad
	}
	if _, bad := b.str("payer.openid"); bad != nil {
		return *bad
	}
	reply := s.nativePrepay(r)
	if reply.Status != http.StatusOK {
		return reply
	}
	no, _ := b.str("out_trade_no")
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[no]
	if o.tradeType == "" {
		o.tradeType = "JSAPI"
	} else if o.tradeType != "JSAPI" {
		return Fail(http.StatusBadRequest, "INVALID_REQUEST", "out_trade_no "+no+" was already used for a "+o.tradeType+" order")
	}
	return JSON(http.StatusOK, M{"prepay_id": "wx" + strings.TrimPrefix(o.codeURL, "weixin://wxpay/bizpayurl?pr=") + "a0b1c2d3e4f5a6b7c8d9e0"})
}
