package wechatpay

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// FuzzDownloadURL: downloadURL never panics, and whatever it accepts is on
// the client's own scheme and host with no user info, so a signed download
// can never be sent elsewhere.
func FuzzDownloadURL(f *testing.F) {
	for _, s := range []string{
		"https://api.mch.weixin.qq.com/v3/billdownload/file?token=abc&tartype=gzip",
		"https://API.MCH.weixin.qq.com:443/v3/billdownload/file",
		"https://api.mch.weixin.qq.com.evil.com/v3/billdownload/file",
		"https://api.mch.weixin.qq.com@evil.com/x", "http://api.mch.weixin.qq.com/x", "//api.mch.weixin.qq.com/x",
		"https://evil.com\\@api.mch.weixin.qq.com/", "https://api.mch.weixin.qq.com:8443/x", "v3/x", "",
	} {
		f.Add(s)
	}
	c := &Client{baseURL: "https://api.mch.weixin.qq.com/"}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := c.downloadURL(raw)
		if err != nil {
			if !errors.Is(err, ErrTemplate) {
				t.Fatalf("downloadURL(%q): %v does not wrap ErrTemplate", raw, err)
			}
			return
		}
		// Re-parse what would be sent, as net/http does.
		sent, err := url.Parse(u.String())
		if err != nil {
			t.Fatalf("downloadURL(%q) accepted %q, which does not parse: %v", raw, u, err)
		}
		if !strings.EqualFold(sent.Scheme, "https") || !strings.EqualFold(sent.Hostname(), "api.mch.weixin.qq.com") ||
			(sent.Port() != "" && sent.Port() != "443") || sent.User != nil {
			t.Fatalf("downloadURL(%q) accepted %q (scheme %q host %q port %q)", raw, sent, sent.Scheme, sent.Hostname(), sent.Port())
		}
	})
}
