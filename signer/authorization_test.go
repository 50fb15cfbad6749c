package signer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/wechatpay-chain/wechatpay/signer"
)

func TestAuthorizationString(t *testing.T) {
	t.Parallel()
	a := signer.Authorization{MchID: "1900009191", Serial: "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C", Timestamp: "1554208460", Nonce: "593BEC0C930BF1AFEB40B4A08C8FB242", Signature: "uOVRnA4qG/MNnYzdQxJanN+zU+lTgIcnU9BxGw5dKjK+VdEUz2FeIoC+D5sB/LN+nGzX3hfZg6r5wT1pl2ZobmIc6p0ldN7J6yDgUzbX8Uk3sD4a4eZVPTBvqNDoUqcYMlZ9uuDdCvNv4TM3c1WzsXUrExwVkI1XO5jCNbgDJ25nkT/c1gIFvqoogl7MdSFGc4W4xZsqCItnqbypR3RuGIlR9h9vlRsy7zJR9PBI83X8alLDIfR1ukt1P7tMnmogZ0cuDY8cZsd8ZlCgLadmvej58SLsIkVxFJ8XmUgx9c6g4X7hnEw=="}
	want := `WECHATPAY2-SHA256-RSA2048 mchid="1900009191",serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C",timestamp="1554208460",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="` + a.Signature + `"`
	if diff := cmp.Diff(want, a.String()); diff != "" {
		t.Errorf("String mismatch (-want +got):\n%s", diff)
	}
	back, err := signer.ParseAuthorization(a.String())
	if err != nil {
		t.Fatalf("ParseAuthorization(String()): %v", err)
	}
	if diff := cmp.Diff(a, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestParseAuthorization(t *testing.T) {
	t.Parallel()
	const good = `mchid="1",serial_no="AB",timestamp="1554208460",nonce_str="n",signature="c2ln"`
	want := signer.Authorization{MchID: "1", Serial: "AB", Timestamp: "1554208460", Nonce: "n", Signature: "c2ln"}
	tests := []struct {
		name    string
		header  string
		wantErr string // substring; empty = success
	}{
		{"canonical", signer.Scheme + " " + good, ""},
		{"other order, spaces after commas", signer.Scheme + ` signature="c2ln", nonce_str="n", timestamp="1554208460", serial_no="AB", mchid="1"`, ""},
		{"empty", "", "scheme"},
		{"scheme only", signer.Scheme, "scheme"},
		{"scheme and space", signer.Scheme + " ", "expected name"},
		{"wrong scheme", "Bearer " + good, "scheme"},
		{"lower-case scheme", strings.ToLower(signer.Scheme) + " " + good, "scheme"},
		{"two spaces after scheme", signer.Scheme + "  " + good, "invalid parameter name"},
		{"missing field", signer.Scheme + ` mchid="1",serial_no="AB",timestamp="1",nonce_str="n"`, "missing parameter signature"},
		{"duplicate field", signer.Scheme + " " + good + `,mchid="2"`, "more than once"},
		{"unknown field", signer.Scheme + " " + good + `,extra="x"`, "unknown parameter"},
		{"unquoted value", signer.Scheme + ` mchid=1,serial_no="AB",timestamp="1",nonce_str="n",signature="c2ln"`, "not quoted"},
		{"unterminated", signer.Scheme + ` mchid="1,serial_no="AB"`, "expected \",\""},
		{"unterminated last", signer.Scheme + ` mchid="1`, "unterminated"},
		{"empty value", signer.Scheme + ` mchid="",serial_no="AB",timestamp="1",nonce_str="n",signature="c2ln"`, "empty value"},
		{"trailing comma", signer.Scheme + " " + good + ",", "expected name"},
		{"garbage after", signer.Scheme + " " + good + " x", "expected \",\""},
		{"semicolons", signer.Scheme + ` mchid="1";serial_no="AB"`, "expected \",\""},
		{"non-decimal timestamp", signer.Scheme + ` mchid="1",serial_no="AB",timestamp="-1",nonce_str="n",signature="c2ln"`, "timestamp"},
		{"control character", signer.Scheme + ` mchid="1",serial_no="A` + "\x00" + `B",timestamp="1",nonce_str="n",signature="c2ln"`, "invalid character"},
		{"missing name", signer.Scheme + ` ="1"`, "expected name"},
		{"bad name", signer.Scheme + ` mch id="1"`, "invalid parameter name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := signer.ParseAuthorization(tt.header)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseAuthorization: %v", err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("mismatch (-want +got):\n%s", diff)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseAuthorization succeeded with %+v, want an error containing %q", got, tt.wantErr)
			}
			if !errors.Is(err, signer.ErrAuthorization) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %q, want ErrAuthorization containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "c2ln") {
				t.Errorf("error %q quotes the signature", err)
			}
		})
	}
}

func FuzzParseAuthorization(f *testing.F) {
	f.Add(signer.Scheme + ` mchid="1",serial_no="AB",timestamp="1554208460",nonce_str="n",signature="c2ln"`)
	f.Add(signer.Scheme + ` signature="x", mchid="1"`)
	f.Add(signer.Scheme + ` mchid="`)
	f.Add("")
	f.Fuzz(func(t *testing.T, header string) {
		a, err := signer.ParseAuthorization(header)
		if err != nil {
			if !errors.Is(err, signer.ErrAuthorization) {
				t.Fatalf("error %v does not wrap ErrAuthorization", err)
			}
			return
		}
		// Whatever parses must print back to a header that parses to the same value.
		again, err := signer.ParseAuthorization(a.String())
		if err != nil {
			t.Fatalf("re-parsing %q: %v", a.String(), err)
		}
		if again != a {
			t.Fatalf("round trip changed %+v into %+v", a, again)
		}
	})
}
