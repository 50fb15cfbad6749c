package wechatpaytest

import (
	"fmt"
	"net/http"
	"time"
)

// The built-in routes. [Server.Handle] routes take precedence over them.
const (
	RouteMembercardBonusPrepare = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"
	RouteNativePrepay           = "v3/pay/transactions/native"
	RouteQueryByOutTradeNo      = "v3/pay/transactions/out-trade-no/{out_trade_no}"
	RouteCloseOrder             = "v3/pay/transactions/out-trade-no/{out_trade_no}/close"
	RouteRefund                 = "v3/refund/domestic/refunds"
	RouteQueryRefund            = "v3/refund/domestic/refunds/{out_refund_no}"
	RouteCertificates           = "v3/certificates"
	RouteImageUpload            = "v3/merchant-service/images/upload"
)

func (s *Server) builtinRoutes() []route {
	def := func(method, p string, h Handler) route {
		return route{method: method, pattern: parsePattern(p), handler: h}
	}
	routes := []route{
		def(http.MethodPost, RouteMembercardBonusPrepare, s.bonusPrepare),
		def(http.MethodPost, RouteNativePrepay, s.nativePrepay),
		def(http.MethodGet, RouteQueryByOutTradeNo, s.queryOrder),
		def(http.MethodPost, RouteCloseOrder, s.closeOrder),
		def(http.MethodPost, RouteRefund, s.refund),
		def(http.MethodGet, RouteQueryRefund, s.queryRefund),
		def(http.MethodGet, RouteCertificates, s.certificates),
		def(http.MethodPost, RouteJSAPIPrepay, s.jsapiPrepay), // jsapi.go
	}
	routes = append(routes, s.uploadRoutes()...) // uploads.go
	return append(routes, s.billRoutes()...)     // bills.go
}

// china is the zone WeChat Pay writes its times in.
var china = time.FixedZone("CST", 8*60*60)

// formatTime writes t as WeChat Pay does: RFC 3339 in +08:00.
func formatTime(t time.Time) string { return t.In(china).Format(time.RFC3339) }

// bonusPrepare answers the seed example: 204 when the body has the fields.
func (s *Server) bonusPrepare(r *Request) Reply {
	b, bad := decodeBody(r)
	if bad != nil {
		return *bad
	}
	for _, f := range []string{"out_trade_no", "mchid", "sub_mchid"} {
		if _, bad := b.str(f); bad != nil {
			return *bad
		}
	}
	if _, bad := b.positiveInt("bonus_value"); bad != nil {
		return *bad
	}
	return NoContent()
}

// order is a transaction created by the native prepay route.
type order struct {
	appid, description, outTradeNo, notifyURL, attach, codeURL, currency string
	total                                                                int64
	state                                                                string
	created                                                              time.Time
	transactionID, successTime                                           string // set by Pay
	tradeType                                                            string // "" is NATIVE; jsapi.go sets JSAPI
}

var tradeStateDesc = map[string]string{
	"NOTPAY":  "订单未支付",
	"CLOSED":  "订单已关闭",
	"SUCCESS": "支付成功",
}

// nativePrepay creates an order and answers its code_url.
func (s *Server) nativePrepay(r *Request) Reply {
	b, bad := decodeBody(r)
	if bad != nil {
		return *bad
	}
	o := &order{state: "NOTPAY", created: s.now(), currency: "CNY"}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"appid", &o.appid}, {"description", &o.description}, {"out_trade_no", &o.outTradeNo}, {"notify_url", &o.notifyURL}} {
		if *f.dst, bad = b.str(f.name); bad != nil {
			return *bad
		}
	}
	if bad := s.merchant(b, "mchid"); bad != nil {
		return *bad
	}
	if o.total, bad = b.positiveInt("amount.total"); bad != nil {
		return *bad
	}
	if cur, bad := b.optStr("amount.currency"); bad != nil {
		return *bad
	} else if cur != "" {
		o.currency = cur
	}
	if o.attach, bad = b.optStr("attach"); bad != nil {
		return *bad
	}
	o.codeURL = "weixin://wxpay/bizpayurl?pr=" + nonce(9)

	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.orders[o.outTradeNo]; ok {
		switch {
		case old.state == "CLOSED":
			return Fail(http.StatusBadRequest, "ORDER_CLOSED", "订单已关闭: out_trade_no "+o.outTradeNo+" was closed")
		case old.total != o.total || old.description != o.description || old.appid != o.appid:
			return Fail(http.StatusBadRequest, "INVALID_REQUEST",
				"out_trade_no "+o.outTradeNo+" was already used with different parameters")
		}
		return JSON(http.StatusOK, M{"code_url": old.codeURL})
	}
	s.orders[o.outTradeNo] = o
	return JSON(http.StatusOK, M{"code_url": o.codeURL})
}

// queryOrder answers a transaction created earlier.
func (s *Server) queryOrder(r *Request) Reply {
	if bad := s.queryMerchant(r); bad != nil {
		return *bad
	}
	no := r.Vars["out_trade_no"]
	s.mu.Lock()
	o, ok := s.orders[no]
	var tx M
	if ok {
		tx = s.transactionJSON(o)
	}
	s.mu.Unlock()
	if !ok {
		return Fail(http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在: no order with out_trade_no "+no)
	}
	return JSON(http.StatusOK, tx)
}

// queryMerchant checks the mchid query parameter.
func (s *Server) queryMerchant(r *Request) *Reply {
	switch got := r.Query.Get("mchid"); got {
	case s.mchid:
		return nil
	case "":
		rp := FailDetail(http.StatusBadRequest, "PARAM_ERROR", "mchid: is required",
			M{"field": "mchid", "location": "query", "issue": "is required"})
		return &rp
	default:
		rp := FailDetail(http.StatusBadRequest, "PARAM_ERROR",
			fmt.Sprintf("mchid: %q does not match the merchant %q of the Authorization", got, s.mchid),
			M{"field": "mchid", "location": "query", "value": got})
		return &rp
	}
}

// transactionJSON is an order as the query API shows it (s.mu held).
func (s *Server) transactionJSON(o *order) M {
	tx := M{
		"appid":            o.appid,
		"mchid":            s.mchid,
		"out_trade_no":     o.outTradeNo,
		"trade_type":       o.kind(),
		"trade_state":      o.state,
		"trade_state_desc": tradeStateDesc[o.state],
		"amount":           M{"total": o.total, "currency": o.currency},
		"scene_info":       M{"device_id": ""},
		"promotion_detail": []any{},
	}
	if o.attach != "" {
		tx["attach"] = o.attach
	}
	if o.state == "SUCCESS" {
		paidFields(tx, o) // pay.go
	}
	return tx
}

// closeOrder closes an order: 204.
func (s *Server) closeOrder(r *Request) Reply {
	b, bad := decodeBody(r)
	if bad != nil {
		return *bad
	}
	if bad := s.merchant(b, "mchid"); bad != nil {
		return *bad
	}
	no := r.Vars["out_trade_no"]
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[no]
	if !ok {
		return Fail(http.StatusNotFound, "ORDER_NOT_EXIST", "订单不存在: no order with out_trade_no "+no)
	}
	if o.state == "SUCCESS" {
		return Fail(http.StatusBadRequest, "ORDERPAID", "订单已支付: out_trade_no "+no+" is paid")
	}
	o.state = "CLOSED"
	return NoContent()
}

// refund accepts a refund: 200 with the refund in PROCESSING.
func (s *Server) refund(r *Request) Reply {
	b, bad := decodeBody(r)
	if bad != nil {
		return *bad
	}
	outRefundNo, bad := b.str("out_refund_no")
	if bad != nil {
		return *bad
	}
	txID, bad := b.optStr("transaction_id")
	if bad != nil {
		return *bad
	}
	outTradeNo, bad := b.optStr("out_trade_no")
	if bad != nil {
		return *bad
	}
	if txID == "" && outTradeNo == "" {
		return *paramError("transaction_id", "transaction_id or out_trade_no is required", nil)
	}
	refund, bad := b.positiveInt("amount.refund")
	if bad != nil {
		return *bad
	}
	total, bad := b.positiveInt("amount.total")
	if bad != nil {
		return *bad
	}
	currency, bad := b.str("amount.currency")
	if bad != nil {
		return *bad
	}
	if currency != "CNY" {
		return *paramError("amount.currency", "only CNY is supported", currency)
	}
	if refund > total {
		return *paramError("amount.refund", "must not exceed amount.total", refund)
	}
	if txID == "" {
		s.mu.Lock()
		if o, ok := s.orders[outTradeNo]; ok && o.transactionID != "" {
			txID = o.transactionID
		}
		s.mu.Unlock()
	}
	if txID == "" {
		txID = "4200000000" + randomString(18, "0123456789")
	}
	res := M{
		"refund_id":             "50000000" + randomString(21, "0123456789"),
		"out_refund_no":         outRefundNo,
		"transaction_id":        txID,
		"out_trade_no":          outTradeNo,
		"channel":               "ORIGINAL",
		"user_received_account": "支付用户零钱",
		"create_time":           formatTime(s.now()),
		"status":                "PROCESSING",
		"funds_account":         "AVAILABLE",
		"amount": M{
			"total": total, "refund": refund, "payer_total": total, "payer_refund": refund,
			"settlement_total": total, "settlement_refund": refund, "discount_refund": 0, "currency": currency,
		},
		"promotion_detail": []any{},
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.refunds[outRefundNo]; ok {
		return JSON(http.StatusOK, old)
	}
	s.refunds[outRefundNo] = res
	return JSON(http.StatusOK, res)
}

// queryRefund answers a refund accepted earlier.
func (s *Server) queryRefund(r *Request) Reply {
	no := r.Vars["out_refund_no"]
	s.mu.Lock()
	res, ok := s.refunds[no]
	s.mu.Unlock()
	if !ok {
		return Fail(http.StatusNotFound, "RESOURCE_NOT_EXISTS", "退款单不存在: no refund with out_refund_no "+no)
	}
	return JSON(http.StatusOK, res)
}

// certificates serves the platform certificate encrypted under the APIv3
// key, or RESOURCE_NOT_EXISTS in public key mode.
func (s *Server) certificates(*Request) Reply {
	return s.certificateList() // certificates.go
}
