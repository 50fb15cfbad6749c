package wechatpay

import "testing"

// TestNormalizeSegment is the table of the segment-name rules.
func TestNormalizeSegment(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"v3", "v3"},
		{"V3", "v3"},
		{"membercardOpen", "membercard-open"},
		{"complaintsV2", "complaints-v2"},
		{"OpenID", "open-i-d"},
		{"2ndStep", "2nd-step"},
		{"_card_id_", "{card_id}"},
		{"_openId_", "{openId}"},
		{"{+url}", "{+url}"},
		{"a{b}C", "a{b}C"},
		{"_", "_"},
		{"__", "__"},
		{"a_", "a_"},
		{"_a", "_a"},
		{"微信Pay", "微信-pay"},
	}
	for _, tt := range tests {
		if got := normalizeSegment(tt.in); got != tt.want {
			t.Errorf("normalizeSegment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
