package wechatpay_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wechatpay-chain/wechatpay"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// transparentGIF is the 1×1 transparent GIF of protocol.md's known answer.
func transparentGIF(t testing.TB) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// formParts splits a recorded multipart body into (name, filename,
// content type, bytes) in order.
func formParts(t *testing.T, r wechatpaytest.RecordedRequest) [][4]string {
	t.Helper()
	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		t.Fatalf("Content-Type %q: want multipart/form-data (%v)", r.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(bytes.NewReader(r.Body), params["boundary"])
	var parts [][4]string
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return parts
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, [4]string{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(data)})
	}
}

// TestUploadTransparentGIF is protocol.md's known answer: the meta part
// names the file and its SHA-256, comes first, and is what the server
// verified the signature over (with its own code).
func TestUploadTransparentGIF(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	gif := transparentGIF(t)

	resp, err := client.Chain("v3/merchant-service/images/upload").Post(context.Background(), wechatpay.Options{
		"upload": wechatpay.Upload{Filename: "transparent.gif", Content: bytes.NewReader(gif)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := resp.Get("media_id").String(), "MEDIA_bb229a48bee31f5d54ca12dc"; got != want {
		t.Errorf("media_id %q, want %q", got, want)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || !reqs[0].Authorized {
		t.Fatalf("server saw %d requests, want 1 authorized: %+v", len(reqs), reqs)
	}
	want := [][4]string{
		{"meta", "", "application/json", `{"filename":"transparent.gif","sha256":"bb229a48bee31f5d54ca12dc9bd960c63a671f0d4be86a054c1d324a44499d96"}`},
		{"file", "transparent.gif", "image/gif", string(gif)},
	}
	if diff := cmp.Diff(want, formParts(t, reqs[0])); diff != "" {
		t.Errorf("parts (-want +got):\n%s", diff)
	}
}

// TestUploadCustomMetaAndField uploads to an endpoint whose meta names the
// digest file_digest and whose file part is submission_file.
func TestUploadCustomMetaAndField(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	gif := transparentGIF(t)
	const digest = "bb229a48bee31f5d54ca12dc9bd960c63a671f0d4be86a054c1d324a44499d96"

	ch := client.Chain("v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload")
	resp, err := ch.Post(context.Background(), wechatpay.Options{
		"sub_mchid": "1900000109",
		"upload": wechatpay.Upload{
			Filename: "licence.gif",
			Content:  bytes.NewReader(gif),
			Meta:     wechatpay.M{"file_name": "licence.gif", "file_digest": digest, "item_id": 3},
			Field:    "submission_file",
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Get("media_id").Exists() {
		t.Errorf("answer %s has no media_id", resp.Body())
	}
	parts := formParts(t, srv.Requests()[0])
	if len(parts) != 2 || parts[0][0] != "meta" || parts[1][0] != "submission_file" {
		t.Fatalf("parts %q: want meta then submission_file", parts)
	}
	if got, want := parts[0][3], `{"file_digest":"`+digest+`","file_name":"licence.gif","item_id":3}`; got != want {
		t.Errorf("meta %s, want %s", got, want)
	}

	// The same upload with the default meta is refused by that endpoint:
	// the server's check is real.
	_, err = ch.Post(context.Background(), wechatpay.Options{
		"sub_mchid": "1900000109",
		"upload":    wechatpay.Upload{Filename: "licence.gif", Content: bytes.NewReader(gif), Field: "submission_file"},
	})
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "PARAM_ERROR" {
		t.Errorf("default meta on a file_digest endpoint: %v, want PARAM_ERROR", err)
	}
}

// TestUploadWrongDigestRefused: a Meta whose digest is not the file's is
// sent as given, and the server refuses it.
func TestUploadWrongDigestRefused(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	_, err := client.Chain(wechatpaytest.RouteImageUpload).Post(context.Background(), wechatpay.Options{
		"upload": wechatpay.Upload{Filename: "a.gif", Content: strings.NewReader("GIF89a"),
			Meta: wechatpay.M{"filename": "a.gif", "sha256": strings.Repeat("0", 64)}},
	})
	var apiErr *wechatpay.APIError
	if !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, "sha256") {
		t.Fatalf("err %v, want a PARAM_ERROR about sha256", err)
	}
	if r := srv.Requests(); len(r) != 1 || !r[0].Authorized {
		t.Errorf("the request was not sent once with a valid signature: %+v", r)
	}
}

// TestUploadOptionErrors: mistakes are ErrTemplate errors before any I/O.
func TestUploadOptionErrors(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, nil)
	gif := func() io.Reader { return bytes.NewReader(transparentGIF(t)) }
	tests := []struct {
		name   string
		method string
		opts   wechatpay.Options
		want   string
	}{
		{"with json", "POST", wechatpay.Options{"upload": wechatpay.Upload{Filename: "a.gif", Content: gif()}, "json": wechatpay.M{}}, `"upload" and "json" are exclusive`},
		{"with body", "POST", wechatpay.Options{"upload": wechatpay.Upload{Filename: "a.gif", Content: gif()}, "body": "x"}, `"upload" and "body" are exclusive`},
		{"no filename", "POST", wechatpay.Options{"upload": wechatpay.Upload{Content: gif()}}, "Filename is required"},
		{"nil content", "POST", wechatpay.Options{"upload": wechatpay.Upload{Filename: "a.gif"}}, "Content is nil"},
		{"wrong type", "POST", wechatpay.Options{"upload": "a.gif"}, "want wechatpay.Upload"},
		{"nil pointer", "POST", wechatpay.Options{"upload": (*wechatpay.Upload)(nil)}, "nil *Upload"},
		{"field meta", "POST", wechatpay.Options{"upload": wechatpay.Upload{Filename: "a.gif", Content: gif(), Field: "meta"}}, `Field may not be "meta"`},
		{"quote in name", "POST", wechatpay.Options{"upload": wechatpay.Upload{Filename: "a\".gif", Content: gif()}}, "quotes"},
		{"GET", "GET", wechatpay.Options{"upload": wechatpay.Upload{Filename: "a.gif", Content: gif()}}, "cannot carry a body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.Chain(wechatpaytest.RouteImageUpload).Do(context.Background(), tt.method, tt.opts)
			if !errors.Is(err, wechatpay.ErrTemplate) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want ErrTemplate containing %q", err, tt.want)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server, want 0", n)
	}
}

// TestUploadPointerAndRetryResendsSameBody: a *Upload works, and a retried
// upload resends identical bytes, signed afresh over the same meta.
func TestUploadPointerAndRetryResendsSameBody(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	client := newClient(t, srv, func(c *wechatpay.Config) {
		c.Retry = &wechatpay.RetryPolicy{MaxRetries: 1, MinWait: 1, MaxWait: 1}
	})
	srv.Fault("POST", wechatpaytest.RouteImageUpload, wechatpaytest.Fault{Status: 503, Times: 1})
	_, err := client.Chain(wechatpaytest.RouteImageUpload).Post(context.Background(), wechatpay.Options{
		"upload": &wechatpay.Upload{Filename: "transparent.gif", Content: bytes.NewReader(transparentGIF(t))},
		"retry":  true,
	})
	if err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2 (503, then the retry)", len(reqs))
	}
	if !bytes.Equal(reqs[0].Body, reqs[1].Body) || !reqs[1].Authorized {
		t.Errorf("retry body differs or was not authorized")
	}
}
