package wechatpay

import (
	"bufio"
	"context"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/wechatpay-chain/wechatpay/internal/transfer"
	"github.com/wechatpay-chain/wechatpay/middleware"
	"github.com/wechatpay-chain/wechatpay/signer"
)

// ErrChecksum matches, with [errors.Is], a download whose digest does not
// match the one it was checked against (see [WithHash]). The bytes were
// already written: do not trust them.
var ErrChecksum = errors.New("wechatpay: checksum mismatch")

// maxDownloadErrorBody is the most of a non-2xx download answer kept in
// the *APIError.
const maxDownloadErrorBody = 64 << 10

// DownloadOption configures [Client.Download] and [Client.DownloadBill].
type DownloadOption func(*downloadConfig)

// gunzipMode says whether a download is decompressed.
type gunzipMode int

const (
	gunzipOff  gunzipMode = iota // write the bytes as received
	gunzipOn                     // the file is gzip: decompress it
	gunzipAuto                   // decompress when it starts with the gzip magic bytes
)

// downloadConfig is what the options set.
type downloadConfig struct {
	hashSet             bool
	hashType, hashValue string
	gunzip              gunzipMode
	progress            func(written, total int64)
}

// WithHash checks the downloaded file against hashValue, the hex digest
// (case-insensitive) of type hashType; "SHA1" (case-insensitive) is the
// type WeChat Pay uses for bills. The digest covers the bytes written
// (after gunzip), and is checked at EOF: a mismatch is an error matching
// [ErrChecksum], and what was written must not be trusted.
func WithHash(hashType, hashValue string) DownloadOption {
	return func(c *downloadConfig) { c.hashSet, c.hashType, c.hashValue = true, hashType, hashValue }
}

// WithGunzip decompresses the file (gzip, as bills with tar_type=GZIP
// are) before writing it; a file that is not gzip is an error.
func WithGunzip() DownloadOption {
	return func(c *downloadConfig) { c.gunzip = gunzipOn }
}

// WithProgress calls fn as the download proceeds (from the downloading
// goroutine, after every write and once before the first) with the bytes
// written so far and the total to expect: the Content-Length, or -1 when
// it is unknown, as it always is when the file is decompressed on the way.
func WithProgress(fn func(written, total int64)) DownloadOption {
	return func(c *downloadConfig) { c.progress = fn }
}

// Download fetches rawURL with a signed GET and streams the answer to w,
// in constant memory whatever the file's size, and returns the number of
// bytes written.
//
// rawURL must be an absolute URL on the client's own scheme and host (the
// download_url of a bill, for example); anything else is an error before
// any network I/O, so a signed request never goes elsewhere. The answer is
// not signature-verified (WeChat Pay does not sign files), but a non-2xx
// answer is an [*APIError]. The request runs under ctx, including every
// read of the body, so a stalled download ends when ctx does; the client's
// Config.Timeout bounds the whole download too. A download holds one of the
// Config.MaxConcurrent slots until it ends. Downloads are not retried
// (bytes already written to w cannot be taken back).
//
// Options check the SHA-1 at EOF ([WithHash]), decompress ([WithGunzip])
// and report progress ([WithProgress]). Option errors match [ErrTemplate].
func (c *Client) Download(ctx context.Context, rawURL string, w io.Writer, opts ...DownloadOption) (int64, error) {
	switch {
	case c == nil:
		return 0, errNilClient
	case ctx == nil:
		return 0, errNilContext
	}
	var cfg downloadConfig
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if w == nil {
		return 0, fmt.Errorf("%w: download: nil io.Writer", ErrTemplate)
	}
	want, newHash, err := cfg.digest()
	if err != nil {
		return 0, err
	}
	target, err := c.downloadURL(rawURL)
	if err != nil {
		return 0, err
	}
	path := target.EscapedPath()

	resp, err := c.getFile(ctx, target) // a MaxConcurrent slot is held until the body is closed
	if err != nil {
		return 0, fmt.Errorf("wechatpay: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxDownloadErrorBody))
		return 0, newAPIError(&preparedRequest{method: http.MethodGet, path: path}, resp.StatusCode, resp.Header, body)
	}

	n, err := cfg.stream(w, resp, newHash, want)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		if errors.Is(err, ErrChecksum) {
			return n, fmt.Errorf("%w: GET %s: %s", ErrChecksum, path, strings.TrimPrefix(err.Error(), ErrChecksum.Error()+": "))
		}
		return n, fmt.Errorf("wechatpay: GET %s: after %d bytes written: %w", path, n, err)
	}
	return n, nil
}

// getFile sends the signed GET through the client's stack with response
// verification switched off for this request only.
//
// It uses the client's http.Client directly rather than resty: the body
// must be streamed to the caller's writer, and resty's retry loop (its
// main service here) must not run for a download whose bytes cannot be
// taken back. The stack, the redirect policy and the timeout are the same.
func (c *Client) getFile(ctx context.Context, target *url.URL) (*http.Response, error) {
	req, err := http.NewRequestWithContext(middleware.WithoutVerification(ctx), http.MethodGet, target.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "*/*")
	req.Header.Set("User-Agent", userAgent)
	if c.pubKeyID != "" { // as on every APIv3 request in public-key mode
		req.Header.Set(signer.HeaderSerial, c.pubKeyID)
	}
	resp, err := c.httpClient.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, err
	}
	return resp, nil
}

// stream copies the answer's body to w, gunzipping as configured, and
// checks the digest at EOF.
func (cfg *downloadConfig) stream(w io.Writer, resp *http.Response, newHash func() hash.Hash, want []byte) (int64, error) {
	total := resp.ContentLength
	body := bufio.NewReaderSize(resp.Body, 4096)
	var src io.Reader = body
	if cfg.gunzip == gunzipOn || cfg.gunzip == gunzipAuto && transfer.IsGzip(body) {
		zr, err := transfer.Gunzip(body)
		if err != nil {
			return 0, err
		}
		defer zr.Close()
		src, total = zr, -1
	}
	meter := &transfer.Meter{W: w, Progress: cfg.progress, Total: total}
	if newHash != nil {
		meter.Hash = newHash()
	}
	if cfg.progress != nil {
		cfg.progress(0, total)
	}
	if _, err := transfer.Copy(meter, src); err != nil {
		return meter.Written(), err
	}
	if meter.Hash != nil {
		got := meter.Hash.Sum(nil)
		if subtle.ConstantTimeCompare(got, want) != 1 {
			return meter.Written(), fmt.Errorf("%w: the %s of the %d bytes written is %s, not the expected %s: the file is damaged or incomplete, do not trust what was written",
				ErrChecksum, strings.ToUpper(cfg.hashType), meter.Written(), hex.EncodeToString(got), hex.EncodeToString(want))
		}
	}
	return meter.Written(), nil
}

// digest checks the WithHash option and returns the expected digest and
// the hash to compute, or nils when there is none.
func (cfg *downloadConfig) digest() ([]byte, func() hash.Hash, error) {
	if !cfg.hashSet {
		return nil, nil, nil
	}
	if !strings.EqualFold(cfg.hashType, "SHA1") {
		return nil, nil, fmt.Errorf("%w: download: hash type %q is not supported (WeChat Pay bills use SHA1)", ErrTemplate, cfg.hashType)
	}
	want, err := hex.DecodeString(cfg.hashValue)
	if err != nil || len(want) != sha1.Size {
		return nil, nil, fmt.Errorf("%w: download: hash value %q is not a hex SHA-1 digest (40 hex digits)", ErrTemplate, truncateString(cfg.hashValue, 64))
	}
	return want, sha1.New, nil
}

// downloadURL parses rawURL and checks that it is on the client's own
// scheme and host.
func (c *Client) downloadURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%w: download URL: %w", ErrTemplate, err)
	}
	base, err := url.Parse(c.baseURL)
	if err != nil { // cannot happen: NewClient parsed it
		return nil, fmt.Errorf("wechatpay: base URL: %w", err)
	}
	switch {
	case !u.IsAbs() || u.Host == "":
		return nil, fmt.Errorf("%w: download URL %q is not absolute (want the download_url of the answer, e.g. %sv3/billdownload/file?token=…)", ErrTemplate, truncateString(rawURL, 80), c.baseURL)
	case !strings.EqualFold(u.Scheme, base.Scheme) || !sameHost(u, base):
		return nil, fmt.Errorf("%w: download URL on %s://%s refused: the client signs requests for %s://%s only", ErrTemplate, u.Scheme, u.Host, base.Scheme, base.Host)
	case u.User != nil:
		return nil, fmt.Errorf("%w: download URL may not carry user info", ErrTemplate)
	case u.Fragment != "":
		return nil, fmt.Errorf("%w: download URL may not carry a fragment", ErrTemplate)
	}
	return u, nil
}

// sameHost reports whether a and b name the same host and port, the
// scheme's default port counting as given.
func sameHost(a, b *url.URL) bool {
	port := func(u *url.URL) string {
		if p := u.Port(); p != "" {
			return p
		}
		if strings.EqualFold(u.Scheme, "https") {
			return "443"
		}
		return "80"
	}
	return strings.EqualFold(a.Hostname(), b.Hostname()) && port(a) == port(b)
}

// truncateString cuts s to at most n bytes for an error message.
func truncateString(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// DownloadBill downloads the file a bill answer points to (the answer of
// GET v3/bill/tradebill, v3/bill/fundflowbill and the like), taking its
// download_url, hash_type and hash_value, and writes it to w: gunzipped
// when it starts with the gzip magic bytes (tar_type=GZIP), with the
// SHA-1 checked over the plain bytes at EOF ([ErrChecksum] on a mismatch).
// opts may add [WithProgress], force [WithGunzip] or override the hash.
//
// An answer without download_url or hash_value is an error before any
// network I/O. Sub-merchant fund-flow bills, which come as a list of
// encrypted parts (download_bill_list), are not supported yet.
func (c *Client) DownloadBill(ctx context.Context, bill *Response, w io.Writer, opts ...DownloadOption) (int64, error) {
	if c == nil {
		return 0, errNilClient
	}
	if bill == nil {
		return 0, fmt.Errorf("%w: DownloadBill: nil bill answer", ErrTemplate)
	}
	if bill.Get("download_bill_list").Exists() {
		return 0, fmt.Errorf("%w: DownloadBill: the answer lists encrypted bill parts (download_bill_list, a sub-merchant fund-flow bill); these are not supported yet", ErrTemplate)
	}
	rawURL := bill.Get("download_url").String()
	hashType, hashValue := bill.Get("hash_type").String(), bill.Get("hash_value").String()
	switch {
	case rawURL == "":
		return 0, fmt.Errorf("%w: DownloadBill: the answer has no download_url (is it the answer of a bill request?)", ErrTemplate)
	case hashValue == "":
		return 0, fmt.Errorf("%w: DownloadBill: the answer has no hash_value; refusing a download that cannot be checked (use Download)", ErrTemplate)
	case hashType == "":
		hashType = "SHA1"
	}
	all := append([]DownloadOption{WithHash(hashType, hashValue), func(c *downloadConfig) { c.gunzip = gunzipAuto }}, opts...)
	return c.Download(ctx, rawURL, w, all...)
}
