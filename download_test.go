package wechatpay_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// applyBill asks srv for a bill and returns the answer.
func applyBill(t *testing.T, client *wechatpay.Client, route string, query wechatpay.M) *wechatpay.Response {
	t.Helper()
	bill, err := client.Chain(route).Get(context.Background(), wechatpay.Options{"query": query})
	if err != nil {
		t.Fatal(err)
	}
	return bill
}

// paidOrder creates and pays one order, so the trade bill has a row.
func paidOrder(t *testing.T, srv *wechatpaytest.Server, client *wechatpay.Client, outTradeNo string) {
	t.Helper()
	_, err := client.Chain(wechatpaytest.RouteNativePrepay).Post(context.Background(), wechatpay.Options{"json": wechatpay.M{
		"appid": "wxd678efh567hg6787", "mchid": srv.MchID(), "description": "Image形象店-深圳腾大-QQ公仔",
		"out_trade_no": outTradeNo, "notify_url": "https://www.weixin.qq.com/wxpay/pay.php",
		"amount": wechatpay.M{"total": 100, "currency": "CNY"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Pay(outTradeNo); err != nil {
		t.Fatal(err)
	}
}

func sha1Hex(b []byte) string {
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

// TestDownloadBillPlainAndGzip downloads the trade and fund-flow bills,
// plain and tar_type=GZIP: the bytes written are the plain bill in both
// cases, and their SHA-1 is the answer's hash_value.
func TestDownloadBillPlainAndGzip(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	paidOrder(t, srv, client, "1217752501201407033233368018")
	ctx := context.Background()

	for _, route := range []string{"v3/bill/tradebill", "v3/bill/fundflowbill"} {
		var plain []byte
		for _, tar := range []string{"", "GZIP"} {
			query := wechatpay.M{"bill_date": "2026-11-30"}
			if tar != "" {
				query["tar_type"] = tar
			}
			bill := applyBill(t, client, route, query)
			var out bytes.Buffer
			n, err := client.DownloadBill(ctx, bill, &out)
			if err != nil {
				t.Fatalf("%s tar_type=%q: %v", route, tar, err)
			}
			if n != int64(out.Len()) {
				t.Errorf("%s: returned %d, wrote %d", route, n, out.Len())
			}
			if got := sha1Hex(out.Bytes()); got != bill.Get("hash_value").String() {
				t.Errorf("%s tar_type=%q: SHA-1 of the output %s, hash_value %s", route, tar, got, bill.Get("hash_value"))
			}
			if bytes.HasPrefix(out.Bytes(), []byte{0x1f, 0x8b}) {
				t.Errorf("%s tar_type=%q: the output is still gzip", route, tar)
			}
			var raw bytes.Buffer // the file as served, without gunzip or hash check
			if _, err := client.Download(ctx, bill.Get("download_url").String(), &raw); err != nil {
				t.Fatal(err)
			}
			if isGzip := bytes.HasPrefix(raw.Bytes(), []byte{0x1f, 0x8b}); isGzip != (tar == "GZIP") {
				t.Errorf("%s tar_type=%q: served gzip %t", route, tar, isGzip)
			}
			if tar == "" {
				plain = bytes.Clone(out.Bytes())
			} else if diff := cmp.Diff(string(plain), out.String()); diff != "" {
				t.Errorf("%s: gzip download differs from the plain one (-plain +gzip):\n%s", route, diff)
			}
		}
		if route == "v3/bill/tradebill" && !strings.Contains(string(plain), "`1217752501201407033233368018,") {
			t.Errorf("trade bill does not list the paid order:\n%s", plain)
		}
	}
	for _, r := range srv.Requests() {
		if !r.Authorized {
			t.Errorf("%s %s reached the server unsigned: %s", r.Method, r.RequestURI, r.AuthFailure)
		}
		if got := r.Header.Get("Wechatpay-Serial"); got != srv.PlatformSerial() { // public-key mode
			t.Errorf("%s %s: Wechatpay-Serial %q, want the public key id %q", r.Method, r.RequestURI, got, srv.PlatformSerial())
		}
	}
}

// TestDownloadChecksumMismatch: a bill whose hash_value is not the file's
// writes the file and then fails with ErrChecksum, saying not to trust it.
func TestDownloadChecksumMismatch(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	file := []byte("交易时间,商户号\r\n`2026-11-30 10:00:00,`1230000109\r\n")
	srv.Handle("GET", "v3/test/bill-file", func(*wechatpaytest.Request) wechatpaytest.Reply {
		rp := wechatpaytest.Raw(200, "application/octet-stream", file)
		rp.Unsigned = true
		return rp
	})
	srv.Handle("GET", "v3/bill/tradebill", func(*wechatpaytest.Request) wechatpaytest.Reply {
		return wechatpaytest.JSON(200, wechatpaytest.M{
			"download_url": srv.URL + "v3/test/bill-file", "hash_type": "SHA1", "hash_value": sha1Hex([]byte("something else")),
		})
	})
	bill := applyBill(t, client, "v3/bill/tradebill", wechatpay.M{"bill_date": "2026-11-30"})
	var out bytes.Buffer
	n, err := client.DownloadBill(context.Background(), bill, &out)
	if !errors.Is(err, wechatpay.ErrChecksum) {
		t.Fatalf("err %v, want ErrChecksum", err)
	}
	if n != int64(len(file)) || !bytes.Equal(out.Bytes(), file) {
		t.Errorf("wrote %d bytes (%q), want the %d bytes received", n, out.Bytes(), len(file))
	}
	for _, want := range []string{"do not trust", sha1Hex(file), "v3/test/bill-file"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if c := strings.Count(err.Error(), "wechatpay:"); c != 1 {
		t.Errorf("error %q has %d \"wechatpay:\" prefixes, want 1", err, c)
	}

	// The matching hash, upper-case hex, passes.
	out.Reset()
	if _, err := client.Download(context.Background(), srv.URL+"v3/test/bill-file", &out,
		wechatpay.WithHash("sha1", strings.ToUpper(sha1Hex(file)))); err != nil {
		t.Errorf("matching upper-case hash: %v", err)
	}
}

// TestDownloadRefusedBeforeIO: other hosts, other schemes and bad options
// are errors before any request is made.
func TestDownloadRefusedBeforeIO(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other host received %s %s (Authorization %t)", r.Method, r.URL, r.Header.Get("Authorization") != "")
	}))
	defer other.Close()
	host := strings.TrimPrefix(strings.TrimSuffix(srv.URL, "/"), "http://")
	tests := []struct {
		name, url string
		opts      []wechatpay.DownloadOption
		want      string
	}{
		{"other host", other.URL + "/v3/billdownload/file?token=x", nil, "refused"},
		{"other port", "http://127.0.0.1:1/v3/billdownload/file", nil, "refused"},
		{"other scheme", "https://" + host + "/v3/billdownload/file", nil, "refused"},
		{"relative", "v3/billdownload/file?token=x", nil, "not absolute"},
		{"user info", "http://u:p@" + host + "/v3/billdownload/file", nil, "user info"},
		{"bad URL", "http://" + host + "/%zz", nil, "download URL"},
		{"hash type", srv.URL + "v3/billdownload/file", []wechatpay.DownloadOption{wechatpay.WithHash("MD5", "00")}, "not supported"},
		{"hash value", srv.URL + "v3/billdownload/file", []wechatpay.DownloadOption{wechatpay.WithHash("SHA1", "xyz")}, "not a hex SHA-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Download(context.Background(), tt.url, &bytes.Buffer{}, tt.opts...)
			if !errors.Is(err, wechatpay.ErrTemplate) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrTemplate containing %q", err, tt.want)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server, want 0", n)
	}
	if _, err := client.DownloadBill(context.Background(), nil, &bytes.Buffer{}); !errors.Is(err, wechatpay.ErrTemplate) {
		t.Errorf("DownloadBill(nil): %v, want ErrTemplate", err)
	}
}

// TestDownloadBillAnswerErrors: answers that are not usable bill answers.
func TestDownloadBillAnswerErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	for name, answer := range map[string]wechatpaytest.M{
		"no download_url": {"hash_type": "SHA1", "hash_value": sha1Hex(nil)},
		"no hash_value":   {"hash_type": "SHA1", "download_url": srv.URL + "v3/billdownload/file?token=x"},
		"parts":           {"download_bill_count": 1, "download_bill_list": []wechatpaytest.M{{"bill_sequence": 1}}},
	} {
		srv.Handle("GET", "v3/test/"+strings.ReplaceAll(name, " ", "-"), func(*wechatpaytest.Request) wechatpaytest.Reply {
			return wechatpaytest.JSON(200, answer)
		})
		bill := applyBill(t, client, "v3/test/"+strings.ReplaceAll(name, " ", "-"), nil)
		if _, err := client.DownloadBill(context.Background(), bill, &bytes.Buffer{}); !errors.Is(err, wechatpay.ErrTemplate) {
			t.Errorf("%s: %v, want ErrTemplate", name, err)
		}
	}
}

// TestDownloadAPIError: a non-2xx answer is an *APIError.
func TestDownloadAPIError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	var out bytes.Buffer
	n, err := client.Download(context.Background(), srv.URL+"v3/billdownload/file?token=unknown", &out)
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Code != "INVALID_REQUEST" || apiErr.RequestID == "" {
		t.Fatalf("err %v, want a 400 INVALID_REQUEST *APIError with a request id", err)
	}
	if n != 0 || out.Len() != 0 {
		t.Errorf("wrote %d bytes of an error answer", out.Len())
	}
}

// TestDownloadProgress: progress starts at 0, grows, ends at the bytes
// written, and knows the total only when the file is not decompressed.
func TestDownloadProgress(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("`2026-11-30 10:00:00,`wxd678efh567hg6787,`1230000109,`0,`SUCCESS\r\n"), 20000) // ~1.3 MB
	srv := newServer(t)
	client := newClient(t, srv, nil)
	srv.Handle("GET", "v3/test/big", func(*wechatpaytest.Request) wechatpaytest.Reply {
		rp := wechatpaytest.Raw(200, "application/octet-stream", big)
		rp.Unsigned = true
		return rp
	})
	var gz bytes.Buffer
	zw := newGzip(&gz)
	zw.Write(big)
	zw.Close()
	srv.Handle("GET", "v3/test/big.gz", func(*wechatpaytest.Request) wechatpaytest.Reply {
		rp := wechatpaytest.Raw(200, "application/octet-stream", gz.Bytes())
		rp.Unsigned = true
		return rp
	})

	for _, tt := range []struct {
		path      string
		opts      []wechatpay.DownloadOption
		wantTotal int64
	}{
		{"v3/test/big", nil, int64(len(big))},
		{"v3/test/big.gz", []wechatpay.DownloadOption{wechatpay.WithGunzip()}, -1},
	} {
		var mu sync.Mutex
		var calls [][2]int64
		opts := append(tt.opts, wechatpay.WithProgress(func(written, total int64) {
			mu.Lock()
			calls = append(calls, [2]int64{written, total})
			mu.Unlock()
		}), wechatpay.WithHash("SHA1", sha1Hex(big)))
		var out bytes.Buffer
		n, err := client.Download(context.Background(), srv.URL+tt.path, &out, opts...)
		if err != nil {
			t.Fatalf("%s: %v", tt.path, err)
		}
		if n != int64(len(big)) || !bytes.Equal(out.Bytes(), big) {
			t.Fatalf("%s: wrote %d bytes, want %d", tt.path, n, len(big))
		}
		if len(calls) < 3 {
			t.Fatalf("%s: %d progress calls, want several", tt.path, len(calls))
		}
		if calls[0] != [2]int64{0, tt.wantTotal} || calls[len(calls)-1] != [2]int64{n, tt.wantTotal} {
			t.Errorf("%s: progress from %v to %v, want from [0 %d] to [%d %d]", tt.path, calls[0], calls[len(calls)-1], tt.wantTotal, n, tt.wantTotal)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] <= calls[i-1][0] || calls[i][1] != tt.wantTotal {
				t.Fatalf("%s: progress call %d %v after %v: want growing written and total %d", tt.path, i, calls[i], calls[i-1], tt.wantTotal)
			}
		}
	}
}

// TestDownloadStalledBody: a server that sends part of the file and then
// stalls is abandoned when ctx ends, with the bytes written so far.
func TestDownloadStalledBody(t *testing.T) {
	t.Parallel()
	keys := newServer(t)
	released := make(chan struct{})
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			t.Error("the download was not signed")
		}
		w.Header().Set("Content-Length", "1000000")
		w.Write(bytes.Repeat([]byte("x"), 1000))
		w.(http.Flusher).Flush()
		<-r.Context().Done() // stall until the client gives up
		close(released)
	}))
	defer stall.Close()
	client := newClient(t, keys, func(c *wechatpay.Config) { c.BaseURL = stall.URL })

	// Give up 100 ms after the first bytes arrived, whatever the load.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var gaveUp time.Time
	var out bytes.Buffer
	n, err := client.Download(ctx, stall.URL+"/v3/billdownload/file?token=t", &out,
		wechatpay.WithProgress(func(written, total int64) {
			if written > 0 {
				once.Do(func() {
					gaveUp = time.Now().Add(100 * time.Millisecond)
					time.AfterFunc(100*time.Millisecond, cancel)
				})
			}
		}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if n != 1000 || out.Len() != 1000 {
		t.Errorf("n %d, wrote %d; want the 1000 bytes that arrived", n, out.Len())
	}
	if d := time.Since(gaveUp); d > 5*time.Second {
		t.Errorf("returned %v after ctx ended", d)
	}
	select {
	case <-released:
	case <-time.After(5 * time.Second):
		t.Error("the server never saw the client go away")
	}
}

// TestDownloadWriterError: a failing writer stops the download with its
// error.
func TestDownloadWriterError(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	bill := applyBill(t, client, "v3/bill/tradebill", wechatpay.M{"bill_date": "2026-11-30"})
	boom := errors.New("disk full")
	_, err := client.DownloadBill(context.Background(), bill, failingWriter{boom})
	if !errors.Is(err, boom) {
		t.Errorf("err %v, want the writer's error", err)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }

// newGzip returns a gzip writer on w.
func newGzip(w *bytes.Buffer) *gzip.Writer { return gzip.NewWriter(w) }

// TestDownloadEdges: nil arguments, a fragment, gunzip of a plain file, a
// connection refused, and a download waiting for a MaxConcurrent slot.
func TestDownloadEdges(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	file := []byte("plain, not gzip")
	srv.Handle("GET", "v3/test/plain", func(*wechatpaytest.Request) wechatpaytest.Reply {
		rp := wechatpaytest.Raw(200, "application/octet-stream", file)
		rp.Unsigned = true
		return rp
	})
	url := srv.URL + "v3/test/plain"
	//lint:ignore SA1012 a nil context is the mistake under test
	if _, err := client.Download(nil, url, &bytes.Buffer{}); err == nil {
		t.Error("nil ctx accepted")
	}
	if _, err := client.Download(context.Background(), url, nil); !errors.Is(err, wechatpay.ErrTemplate) {
		t.Errorf("nil writer: %v", err)
	}
	if _, err := client.Download(context.Background(), url+"#x", &bytes.Buffer{}); !errors.Is(err, wechatpay.ErrTemplate) {
		t.Errorf("fragment: %v", err)
	}
	if _, err := client.Download(context.Background(), url, &bytes.Buffer{}, wechatpay.WithGunzip()); err == nil || !strings.Contains(err.Error(), "not a gzip file") {
		t.Errorf("gunzip of a plain file: %v", err)
	}

	// Connection refused: a network error, not an API or template error.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	deadClient := newClient(t, srv, func(c *wechatpay.Config) { c.BaseURL = deadURL })
	_, err := deadClient.Download(context.Background(), deadURL+"/v3/billdownload/file", &bytes.Buffer{})
	var apiErr *wechatpay.APIError
	if err == nil || errors.As(err, &apiErr) || errors.Is(err, wechatpay.ErrTemplate) || !strings.Contains(err.Error(), "GET /v3/billdownload/file") {
		t.Errorf("connection refused: %v", err)
	}

	// With MaxConcurrent 1 and the slot taken by a stalled call, a download
	// waits, and gives up with its ctx.
	limited := newClient(t, srv, func(c *wechatpay.Config) { c.MaxConcurrent = 1 })
	arrived := make(chan struct{})
	srv.Handle("GET", "v3/test/slow", func(r *wechatpaytest.Request) wechatpaytest.Reply {
		close(arrived)
		<-r.Context().Done() // until the caller gives up
		return wechatpaytest.NoContent()
	})
	slowCtx, stopSlow := context.WithCancel(context.Background())
	slow := limited.Chain("v3/test/slow").GetAsync(slowCtx, nil)
	defer func() { stopSlow(); slow.Wait(context.Background()) }()
	<-arrived // the slow call holds the one slot now
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := limited.Download(ctx, url, &bytes.Buffer{}); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "MaxConcurrent") {
		t.Errorf("waiting for a slot: %v", err)
	}
}
