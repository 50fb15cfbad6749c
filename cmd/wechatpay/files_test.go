package main

import (
	"bytes"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wechatpay-chain/wechatpay/signer"
	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

func sha1Hex(b []byte) string {
	s := sha1.Sum(b)
	return hex.EncodeToString(s[:])
}

// dirEntries lists dir, to check that no temporary file was left.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestBillCommand downloads the trade bill plain and gzip and a fund-flow
// bill: the file is the plain bill, its hash checked, and stderr (not a
// terminal) holds one summary line and no progress bar.
func TestBillCommand(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	dir := t.TempDir()
	var plain []byte
	for _, tc := range []struct {
		name  string
		extra []string
	}{{"trade.csv", nil}, {"trade-gz.csv", []string{"--gzip"}}, {"fundflow.csv", []string{"--account", "BASIC"}}} {
		out := filepath.Join(dir, tc.name)
		r := runCLI(t, env, append([]string{"bill", "--date", "2026-11-30", "-o", out}, tc.extra...)...)
		if r.code != exitOK {
			t.Fatalf("%s: exit %d: %s", tc.name, r.code, r.stderr)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if want := "wrote " + strconv.Itoa(len(data)) + " bytes to " + out + " (SHA-1 ok)\n"; r.stderr != want {
			t.Errorf("%s: stderr %q, want exactly %q", tc.name, r.stderr, want)
		}
		if bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			t.Errorf("%s is still gzip", tc.name)
		}
		switch tc.name {
		case "trade.csv":
			plain = data
			if !bytes.HasPrefix(data, []byte("交易时间,")) {
				t.Errorf("not a trade bill: %q", data)
			}
		case "trade-gz.csv":
			if !bytes.Equal(data, plain) {
				t.Errorf("the gzip bill differs from the plain one")
			}
		case "fundflow.csv":
			if !bytes.HasPrefix(data, []byte("记账时间,")) {
				t.Errorf("not a fund-flow bill: %q", data)
			}
		}
	}
	if got := dirEntries(t, dir); len(got) != 3 {
		t.Errorf("directory holds %q, want the three bills only", got)
	}
	for _, bad := range [][]string{{"bill", "-o", "x"}, {"bill", "--date", "30/11/2026", "-o", "x"}, {"bill", "--date", "2026-11-30"}} {
		if r := runCLI(t, env, bad...); r.code != exitUsage {
			t.Errorf("%q: exit %d, want 2", bad, r.code)
		}
	}
}

// TestDownloadCommand: --sha1 checked (exit 5 and nothing kept on a
// mismatch), -o - writes stdout, another host is refused.
func TestDownloadCommand(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	file := []byte("`2026-11-30,`1230000109,`SUCCESS\r\n")
	srv.Handle("GET", "v3/billdownload/file", func(*wechatpaytest.Request) wechatpaytest.Reply {
		rp := wechatpaytest.Raw(200, "application/octet-stream", file)
		rp.Unsigned = true
		return rp
	})
	url := srv.URL + "v3/billdownload/file?token=t"
	dir := t.TempDir()
	out := filepath.Join(dir, "bill.csv")

	r := runCLI(t, env, "download", url, "--sha1", sha1Hex([]byte("other")), "-o", out)
	if r.code != exitChecksum || !strings.Contains(r.stderr, "do not trust") || !strings.Contains(r.stderr, out+" was not written") {
		t.Errorf("mismatch: exit %d: %s", r.code, r.stderr)
	}
	if got := dirEntries(t, dir); len(got) != 0 {
		t.Errorf("after a mismatch the directory holds %q", got)
	}
	r = runCLI(t, env, "download", url, "--sha1", sha1Hex(file), "-o", out)
	if data, err := os.ReadFile(out); r.code != exitOK || err != nil || !bytes.Equal(data, file) {
		t.Errorf("match: exit %d, %v: %s", r.code, err, r.stderr)
	}
	r = runCLI(t, env, "download", url, "-o", "-")
	if r.code != exitOK || r.stdout != string(file) || !strings.Contains(r.stderr, "not checked (no --sha1)") {
		t.Errorf("stdout: exit %d, stdout %q, stderr %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, env, "download", "https://api.mch.weixin.qq.com/v3/billdownload/file?token=t", "-o", out)
	if r.code != exitUsage || !strings.Contains(r.stderr, "refused") {
		t.Errorf("other host: exit %d: %s", r.code, r.stderr)
	}
	if r := runCLI(t, env, "download", url); r.code != exitUsage || !strings.Contains(r.stderr, "missing -o FILE") {
		t.Errorf("no -o: exit %d: %s", r.code, r.stderr)
	}
}

// TestUploadCommand uploads the transparent GIF with the default meta and
// with a custom meta and part name.
func TestUploadCommand(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	env := serverEnv(t, srv)
	gif, _ := base64.StdEncoding.DecodeString("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")
	path := writeTemp(t, "transparent.gif", gif)
	r := runCLI(t, env, "upload", "v3/merchant-service/images/upload", path)
	if r.code != exitOK || !strings.Contains(r.stdout, `"media_id": "MEDIA_bb229a48bee31f5d54ca12dc"`) {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	meta := `{"file_name":"transparent.gif","file_digest":"bb229a48bee31f5d54ca12dc9bd960c63a671f0d4be86a054c1d324a44499d96","item_id":12345678901234567}`
	r = runCLI(t, env, "upload", "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload", path,
		"-p", "sub_mchid=1900000109", "--field", "submission_file", "--meta", meta)
	if r.code != exitOK {
		t.Fatalf("custom meta: exit %d: %s", r.code, r.stderr)
	}
	if body := string(srv.Requests()[1].Body); !strings.Contains(body, `"item_id":12345678901234567`) {
		t.Errorf("the meta's number was not sent exactly:\n%s", body)
	}
	if r := runCLI(t, env, "upload", "v3/merchant-service/images/upload", filepath.Join(t.TempDir(), "nope.png")); r.code != exitUsage {
		t.Errorf("missing file: exit %d", r.code)
	}
}

// TestNotifyCommand sends callbacks from a mock directory to a handler that
// verifies them with its own standard-library check and decrypts them.
func TestNotifyCommand(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	dir := t.TempDir()
	files, err := writeMockKeys(srv, dir)
	if err == nil {
		err = writeMockState(srv, "pubkey", files.dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	store, err := signer.NewKeyStore(srv.Certs())
	if err != nil {
		t.Fatal(err)
	}
	type seen struct{ event, plaintext string }
	got := make(chan seen, 4)
	handler := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := signer.VerifyHeaders(store, r.Header, body, time.Now()); err != nil {
			http.Error(w, `{"code":"FAIL","message":"bad signature"}`, http.StatusUnauthorized)
			return
		}
		var env struct {
			EventType string `json:"event_type"`
			Resource  struct {
				Ciphertext     string `json:"ciphertext"`
				Nonce          string `json:"nonce"`
				AssociatedData string `json:"associated_data"`
			} `json:"resource"`
		}
		json.Unmarshal(body, &env)
		res := env.Resource
		pt, err := wechatpaytest.Decrypt(srv.APIv3Key(), res.Nonce, res.AssociatedData, res.Ciphertext)
		if err != nil {
			http.Error(w, `{"code":"FAIL","message":"cannot decrypt"}`, http.StatusBadRequest)
			return
		}
		got <- seen{env.EventType, string(pt)}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer handler.Close()

	resource := writeTemp(t, "paid.json", []byte(`{"out_trade_no":"N1","trade_state":"SUCCESS"}`))
	r := runCLI(t, map[string]string{envMockDir: dir}, "notify", handler.URL+"/notify", "--event", "TRANSACTION.SUCCESS", "--resource", "@"+resource)
	if r.code != exitOK || !strings.Contains(r.stderr, "-> HTTP 204 No Content") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if s := <-got; s.event != "TRANSACTION.SUCCESS" || s.plaintext != `{"out_trade_no":"N1","trade_state":"SUCCESS"}` {
		t.Errorf("handler saw %+v", s)
	}
	r = runCLI(t, nil, "notify", handler.URL+"/notify", "--dir", dir, "--event", "REFUND.SUCCESS")
	if s := <-got; r.code != exitOK || s.event != "REFUND.SUCCESS" || !strings.Contains(s.plaintext, `"refund_status":"SUCCESS"`) {
		t.Errorf("sample refund: exit %d, %+v, %s", r.code, s, r.stderr)
	}
	// A handler that refuses is exit 1.
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"code":"FAIL","message":"no"}`, http.StatusInternalServerError)
	}))
	defer refuse.Close()
	if r := runCLI(t, nil, "notify", refuse.URL, "--dir", dir); r.code != exitAPI {
		t.Errorf("refusing handler: exit %d", r.code)
	}
	if r := runCLI(t, nil, "notify", handler.URL); r.code != exitUsage || !strings.Contains(r.stderr, envMockDir) {
		t.Errorf("no dir: exit %d: %s", r.code, r.stderr)
	}
}
