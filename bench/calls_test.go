package bench

import (
	"net/url"
)

// The two calls every contestant makes, with the same inputs.
const (
	seedCardID = "478515832665"
	seedCode   = "478515832665"
	// seedTemplate is the seed POST (answered 204).
	seedTemplate = "v3/marketing/membercard-open/cards/{card_id}/codes/{code}/bonus/prepare"
	// queryTemplate is the order query GET (answered 200 with a JSON body).
	queryTemplate = "v3/pay/transactions/out-trade-no/{out_trade_no}"
)

// seedPayload is the JSON body of the seed POST, built per call as a
// caller would.
func seedPayload() map[string]any {
	return map[string]any{
		"out_trade_no": "1217752501201407033233368018",
		"mchid":        "1230000109",
		"sub_mchid":    "1900000109",
		"bonus_value":  30,
	}
}

// seedURL is the seed POST's path with its two values escaped into it, for
// the contestants that build URLs by hand.
func seedURL(cardID, code string) string {
	return "v3/marketing/membercard-open/cards/" + url.PathEscape(cardID) + "/codes/" + url.PathEscape(code) + "/bonus/prepare"
}

// queryURL is the order query's path and query.
func queryURL(outTradeNo, mchID string) string {
	return "v3/pay/transactions/out-trade-no/" + url.PathEscape(outTradeNo) + "?mchid=" + url.QueryEscape(mchID)
}
