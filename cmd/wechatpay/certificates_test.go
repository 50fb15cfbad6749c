package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wechatpay-chain/wechatpay/wechatpaytest"
)

// TestCertificatesCommand downloads a rotation (two certificates) with an
// empty WECHATPAY_CERTS and checks the files written byte for byte.
func TestCertificatesCommand(t *testing.T) {
	t.Parallel()
	srv := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode), wechatpaytest.WithCertificateRotation())
	env := serverEnv(t, srv)
	delete(env, envCerts)
	env[certificatesAPIv3KeyEnv] = srv.APIv3Key()
	dir := filepath.Join(t.TempDir(), "certs")
	r := runCLI(t, env, "certificates", "-o", dir)
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	listed := srv.PlatformCertificates()
	if n := strings.Count(r.stdout, "\n"); n != len(listed) {
		t.Errorf("stdout has %d lines, want %d:\n%s", n, len(listed), r.stdout)
	}
	for _, c := range listed {
		got, err := os.ReadFile(filepath.Join(dir, "wechatpay_"+c.Serial+".pem"))
		if err != nil || !bytes.Equal(got, c.PEM) {
			t.Errorf("certificate %s: %v (%d bytes)", c.Serial, err, len(got))
		}
	}
	if strings.Contains(r.stdout+r.stderr, srv.APIv3Key()) {
		t.Error("the APIv3 key was printed")
	}
}

func TestCertificatesCommandErrors(t *testing.T) {
	t.Parallel()
	pubkey := newServer(t)
	cert := newServer(t, wechatpaytest.WithKeyMode(wechatpaytest.CertificateMode))
	withKey := func(srv *wechatpaytest.Server, key string) map[string]string {
		env := serverEnv(t, srv)
		env[certificatesAPIv3KeyEnv] = key
		return env
	}
	tests := []struct {
		name     string
		env      map[string]string
		args     []string
		wantCode int
		want     string
	}{
		{"no -o", withKey(cert, cert.APIv3Key()), nil, exitUsage, "-o DIR is required"},
		{"no APIv3 key", withKey(cert, ""), []string{"-o", t.TempDir()}, exitUsage, certificatesAPIv3KeyEnv},
		{"short APIv3 key", withKey(cert, "short"), []string{"-o", t.TempDir()}, exitUsage, "APIv3Key must be exactly 32 bytes"},
		{"wrong APIv3 key", withKey(cert, strings.Repeat("k", 32)), []string{"-o", t.TempDir()}, exitOther, "decryption failed"},
		{"public key merchant", withKey(pubkey, pubkey.APIv3Key()), []string{"-o", t.TempDir()}, exitAPI, "RESOURCE_NOT_EXISTS"},
	}
	for _, tt := range tests {
		r := runCLI(t, tt.env, append([]string{"certificates"}, tt.args...)...)
		if r.code != tt.wantCode || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", tt.name, r.code, r.stderr, tt.wantCode, tt.want)
		}
	}
}
