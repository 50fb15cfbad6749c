package wechatpaytest

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// The built-in bill routes.
const (
	RouteTradeBill    = "v3/bill/tradebill"
	RouteFundFlowBill = "v3/bill/fundflowbill"
	// RouteBillDownload serves the files the bill routes point to. Like
	// WeChat Pay, it answers the file unsigned (no Wechatpay-* headers); the
	// request itself must be signed.
	RouteBillDownload = "v3/billdownload/file"
)

// billFiles holds the files handed out by the bill routes, by token.
type billFiles struct {
	mu    sync.Mutex
	files map[string][]byte // token -> the bytes served (gzip when asked)
}

// put stores data under a new token and returns it.
func (f *billFiles) put(data []byte) string {
	token := nonce(40)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	f.files[token] = data
	return token
}

// get returns the file under token.
func (f *billFiles) get(token string) ([]byte, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, ok := f.files[token]
	return data, ok
}

// billRoutes binds the bill routes.
func (s *Server) billRoutes() []route {
	return []route{
		{method: http.MethodGet, pattern: parsePattern(RouteTradeBill), handler: s.tradeBill},
		{method: http.MethodGet, pattern: parsePattern(RouteFundFlowBill), handler: s.fundFlowBill},
		{method: http.MethodGet, pattern: parsePattern(RouteBillDownload), handler: s.billDownload},
	}
}

// tradeBill answers GET v3/bill/tradebill?bill_date=…[&bill_type=…][&tar_type=GZIP]:
// a download URL on this server and the SHA-1 of the uncompressed bill.
func (s *Server) tradeBill(r *Request) Reply {
	kind := r.Query.Get("bill_type")
	if kind == "" {
		kind = "ALL"
	}
	if !slices.Contains([]string{"ALL", "SUCCESS", "REFUND"}, kind) {
		return queryParamError("bill_type", "must be ALL, SUCCESS or REFUND", kind)
	}
	return s.bill(r, func(date string) []byte { return s.tradeBillCSV(date, kind) })
}

// fundFlowBill answers GET v3/bill/fundflowbill?bill_date=…[&account_type=…][&tar_type=GZIP].
func (s *Server) fundFlowBill(r *Request) Reply {
	account := r.Query.Get("account_type")
	if account == "" {
		account = "BASIC"
	}
	if !slices.Contains([]string{"BASIC", "OPERATION", "FEES"}, account) {
		return queryParamError("account_type", "must be BASIC, OPERATION or FEES", account)
	}
	return s.bill(r, func(date string) []byte { return fundFlowBillCSV(date, account) })
}

// bill checks the common query parameters, stores the file (gzip-compressed
// for tar_type=GZIP) and answers its download_url and hash.
func (s *Server) bill(r *Request, csv func(date string) []byte) Reply {
	date := r.Query.Get("bill_date")
	if date == "" {
		return queryParamError("bill_date", "is required", nil)
	}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return queryParamError("bill_date", "must be a date in the form YYYY-MM-DD", date)
	}
	tar := r.Query.Get("tar_type")
	if tar != "" && tar != "GZIP" {
		return queryParamError("tar_type", "must be GZIP or absent", tar)
	}
	plain := csv(date)
	sum := sha1.Sum(plain) // hash_value is over the uncompressed bill
	served := plain
	if tar == "GZIP" {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(plain) // writes to a bytes.Buffer do not fail
		zw.Close()
		served = buf.Bytes()
	}
	downloadURL := s.URL + RouteBillDownload + "?token=" + s.bills.put(served)
	if tar == "GZIP" {
		downloadURL += "&tartype=gzip"
	}
	return JSON(http.StatusOK, M{
		"hash_type":    "SHA1",
		"hash_value":   hex.EncodeToString(sum[:]),
		"download_url": downloadURL,
	})
}

// billDownload serves a stored bill file, unsigned.
func (s *Server) billDownload(r *Request) Reply {
	token := r.Query.Get("token")
	data, ok := s.bills.get(token)
	if !ok {
		return Fail(http.StatusBadRequest, "INVALID_REQUEST", "the download token is unknown or expired; apply for the bill again")
	}
	return Reply{
		Status:   http.StatusOK,
		Body:     data,
		Header:   http.Header{"Content-Type": {"application/octet-stream"}},
		Unsigned: true,
	}
}

// queryParamError is the 400 answer for one bad query parameter.
func queryParamError(field, issue string, value any) Reply {
	detail := M{"field": field, "location": "query", "issue": issue}
	if value != nil {
		detail["value"] = value
	}
	return FailDetail(http.StatusBadRequest, "PARAM_ERROR", field+": "+issue, detail)
}

// tradeBillCSV writes a trade bill in WeChat Pay's layout: a header row,
// one row per paid order (each value prefixed with "`"), then the summary.
func (s *Server) tradeBillCSV(date, kind string) []byte {
	var b strings.Builder
	b.WriteString("交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注\r\n")
	s.mu.Lock()
	paid := make([]*order, 0, len(s.orders))
	for _, o := range s.orders {
		if o.state == "SUCCESS" {
			paid = append(paid, o)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(paid, func(a, b *order) int { return strings.Compare(a.outTradeNo, b.outTradeNo) })
	var total int64
	rows := 0
	if kind != "REFUND" {
		for _, o := range paid {
			total += o.total
			rows++
			fields := []string{
				date + " " + o.created.In(china).Format(time.TimeOnly), o.appid, s.mchid, "0", "", o.transactionID,
				o.outTradeNo, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "NATIVE", "SUCCESS", "OTHERS", o.currency,
				yuan(o.total), "0.00", "0", "0", "0.00", "0.00", "", "", o.description, o.attach,
				yuan(o.total * 6 / 1000), "0.60%", yuan(o.total), "0.00", "",
			}
			b.WriteString("`" + strings.Join(fields, ",`") + "\r\n")
		}
	}
	b.WriteString("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n")
	fmt.Fprintf(&b, "`%d,`%s,`0.00,`0.00,`%s,`%s,`0.00\r\n", rows, yuan(total), yuan(total*6/1000), yuan(total))
	return []byte(b.String())
}

// fundFlowBillCSV writes a fund-flow bill for one account with one
// opening row and the summary.
func fundFlowBillCSV(date, account string) []byte {
	var b strings.Builder
	b.WriteString("记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号\r\n")
	fmt.Fprintf(&b, "`%s 00:00:00,`0,`0,`期初余额,`%s,`收入,`0.00,`0.00,`system,`,`0\r\n", date, account)
	b.WriteString("资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n")
	b.WriteString("`1,`1,`0.00,`0,`0.00\r\n")
	return []byte(b.String())
}

// yuan formats an amount in fen as yuan with two decimals.
func yuan(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) }
