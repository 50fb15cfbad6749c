package wechatpaytest

import "fmt"

// Pay marks the order with out_trade_no as paid, as if the payer had
// scanned its code_url, and returns the transaction as WeChat Pay puts it
// in the TRANSACTION.SUCCESS callback resource (and as the order query
// shows it from now on). Send it with
// s.Notify(ctx, notifyURL, "TRANSACTION.SUCCESS", tx). Paying a paid order
// returns the same transaction; a closed or unknown order is an error.
func (s *Server) Pay(outTradeNo string) (M, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.orders[outTradeNo]
	switch {
	case !ok:
		return nil, fmt.Errorf("wechatpaytest: no order with out_trade_no %q", outTradeNo)
	case o.state == "CLOSED":
		return nil, fmt.Errorf("wechatpaytest: order %q is closed", outTradeNo)
	case o.state != "SUCCESS":
		o.state = "SUCCESS"
		o.transactionID = "4200000" + randomString(21, "0123456789")
		o.successTime = formatTime(s.now())
	}
	return s.transactionJSON(o), nil
}

// paidFields adds what a paid order shows: its transaction id, bank, success
// time and payer.
func paidFields(tx M, o *order) {
	tx["transaction_id"] = o.transactionID
	tx["bank_type"] = "OTHERS"
	tx["success_time"] = o.successTime
	tx["payer"] = M{"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}
	tx["amount"] = M{"total": o.total, "payer_total": o.total, "currency": o.currency, "payer_currency": o.currency}
}

// CompleteRefund settles the refund with out_refund_no, accepted earlier by
// the refund route in PROCESSING, and returns the REFUND.SUCCESS callback
// resource. The refund query shows it as SUCCESS from now on.
func (s *Server) CompleteRefund(outRefundNo string) (M, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	res, ok := s.refunds[outRefundNo]
	if !ok {
		return nil, fmt.Errorf("wechatpaytest: no refund with out_refund_no %q", outRefundNo)
	}
	if res["status"] != "SUCCESS" {
		res["status"] = "SUCCESS"
		res["success_time"] = formatTime(s.now())
	}
	amount, _ := res["amount"].(M)
	return M{
		"mchid":                 s.mchid,
		"out_trade_no":          res["out_trade_no"],
		"transaction_id":        res["transaction_id"],
		"out_refund_no":         res["out_refund_no"],
		"refund_id":             res["refund_id"],
		"refund_status":         "SUCCESS",
		"success_time":          res["success_time"],
		"user_received_account": res["user_received_account"],
		"amount": M{
			"total": amount["total"], "refund": amount["refund"],
			"payer_total": amount["payer_total"], "payer_refund": amount["payer_refund"],
		},
	}, nil
}
