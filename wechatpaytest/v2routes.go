package wechatpaytest

import (
	"strconv"
	"time"
)

// builtin returns the built-in handler of path, or nil.
func (s *V2Server) builtin(path string) V2Handler {
	switch path {
	case "pay/micropay":
		return s.micropay
	case "pay/orderquery":
		return s.orderquery
	case "secapi/pay/refund":
		return s.refund
	case "mmpaymkttransfers/sendredpack":
		return s.sendredpack
	}
	return nil
}

// v2Fail is a signed business failure: return_code SUCCESS, result_code
// FAIL.
func v2Fail(code, des string) V2Reply {
	return V2Reply{Fields: map[string]string{"result_code": "FAIL", "err_code": code, "err_code_des": des}}
}

// missing returns the first of names absent from fields.
func missing(fields map[string]string, names ...string) string {
	for _, n := range names {
		if fields[n] == "" {
			return n
		}
	}
	return ""
}

// positive reports whether v is a positive decimal integer.
func positive(v string) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n > 0
}

// micropay takes a payment by the user's payment code (auth_code, 18
// digits starting 10-15). The order is stored for orderquery and refund.
func (s *V2Server) micropay(f map[string]string) V2Reply {
	if m := missing(f, "appid", "body", "out_trade_no", "total_fee", "spbill_create_ip", "auth_code"); m != "" {
		return v2Fail("PARAM_ERROR", "missing "+m)
	}
	if !positive(f["total_fee"]) {
		return v2Fail("PARAM_ERROR", "total_fee must be a positive integer (fen)")
	}
	if code := f["auth_code"]; len(code) != 18 || code[0] != '1' || code[1] < '0' || code[1] > '5' {
		return v2Fail("AUTH_CODE_INVALID", "auth_code is not a valid payment code")
	}
	s.mu.Lock()
	_, dup := s.orders[f["out_trade_no"]]
	s.mu.Unlock()
	if dup {
		return v2Fail("ORDERPAID", "out_trade_no was already paid")
	}
	order := map[string]string{
		"appid":          f["appid"],
		"openid":         "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
		"is_subscribe":   "N",
		"trade_type":     "MICROPAY",
		"bank_type":      "CMC",
		"fee_type":       "CNY",
		"total_fee":      f["total_fee"],
		"cash_fee":       f["total_fee"],
		"out_trade_no":   f["out_trade_no"],
		"transaction_id": s.nextID("42"),
		"time_end":       time.Now().Format("20060102150405"),
		"attach":         f["attach"],
	}
	s.mu.Lock()
	s.orders[f["out_trade_no"]] = order
	s.mu.Unlock()
	answer := map[string]string{"result_code": "SUCCESS"}
	for k, v := range order {
		answer[k] = v
	}
	return V2Reply{Fields: answer}
}

// orderquery answers the stored order, with one coupon in indexed fields
// (coupon_count, coupon_type_0, coupon_id_0, coupon_fee_0).
func (s *V2Server) orderquery(f map[string]string) V2Reply {
	if f["out_trade_no"] == "" && f["transaction_id"] == "" {
		return v2Fail("PARAM_ERROR", "give out_trade_no or transaction_id")
	}
	order := s.findOrder(f)
	if order == nil {
		return v2Fail("ORDERNOTEXIST", "no such order")
	}
	answer := map[string]string{
		"result_code": "SUCCESS", "trade_state": "SUCCESS", "trade_state_desc": "支付成功",
		"coupon_count": "1", "coupon_type_0": "CASH", "coupon_id_0": "10000", "coupon_fee_0": "0",
	}
	for k, v := range order {
		answer[k] = v
	}
	return V2Reply{Fields: answer}
}

// refund refunds part or all of a stored order.
func (s *V2Server) refund(f map[string]string) V2Reply {
	if m := missing(f, "appid", "out_refund_no", "total_fee", "refund_fee"); m != "" {
		return v2Fail("PARAM_ERROR", "missing "+m)
	}
	order := s.findOrder(f)
	if order == nil {
		return v2Fail("ORDERNOTEXIST", "no such order")
	}
	total, _ := strconv.Atoi(order["total_fee"])
	fee, err := strconv.Atoi(f["refund_fee"])
	if err != nil || fee <= 0 || fee > total || f["total_fee"] != order["total_fee"] {
		return v2Fail("INVALID_REQUEST", "refund_fee must be positive and at most the order's total_fee")
	}
	return V2Reply{Fields: map[string]string{
		"result_code": "SUCCESS", "appid": f["appid"],
		"transaction_id": order["transaction_id"], "out_trade_no": order["out_trade_no"],
		"out_refund_no": f["out_refund_no"], "refund_id": s.nextID("50"),
		"refund_fee": f["refund_fee"], "total_fee": order["total_fee"], "cash_fee": order["cash_fee"],
	}}
}

// sendredpack sends a red packet; WeChat Pay answers it unsigned.
func (s *V2Server) sendredpack(f map[string]string) V2Reply {
	if m := missing(f, "mch_billno", "wxappid", "send_name", "re_openid", "total_amount", "total_num", "wishing", "client_ip", "act_name", "remark"); m != "" {
		r := v2Fail("PARAM_ERROR", "missing "+m)
		r.Unsigned = true
		return r
	}
	return V2Reply{Unsigned: true, Fields: map[string]string{
		"result_code": "SUCCESS", "return_msg": "发放成功", "mch_billno": f["mch_billno"],
		"wxappid": f["wxappid"], "re_openid": f["re_openid"], "total_amount": f["total_amount"],
		"send_listid": s.nextID("1000041701"),
	}}
}

// findOrder looks a stored order up by out_trade_no or transaction_id.
func (s *V2Server) findOrder(f map[string]string) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if o, ok := s.orders[f["out_trade_no"]]; ok {
		return o
	}
	for _, o := range s.orders {
		if f["transaction_id"] != "" && o["transaction_id"] == f["transaction_id"] {
			return o
		}
	}
	return nil
}
