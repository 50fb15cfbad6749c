package apiv2

import (
	"fmt"
	"strings"
)

// unsignedAnswers are the endpoints (paths without the v2/ prefix) whose
// answers WeChat Pay does not sign.
var unsignedAnswers = map[string]bool{
	"mchrisk/querymchrisk":                              true,
	"mchrisk/setmchriskcallback":                        true,
	"mchrisk/syncmchriskresult":                         true,
	"mmpaymkttransfers/gethbinfo":                       true,
	"mmpaymkttransfers/gettransferinfo":                 true,
	"mmpaymkttransfers/pay_bank":                        true,
	"mmpaymkttransfers/promotion/paywwsptrans2pocket":   true,
	"mmpaymkttransfers/promotion/querywwsptrans2pocket": true,
	"mmpaymkttransfers/promotion/transfers":             true,
	"mmpaymkttransfers/query_bank":                      true,
	"mmpaymkttransfers/queryworkwxredpack":              true,
	"mmpaymkttransfers/sendgroupredpack":                true,
	"mmpaymkttransfers/sendminiprogramhb":               true,
	"mmpaymkttransfers/sendredpack":                     true,
	"mmpaymkttransfers/sendworkwxredpack":               true,
	"mmpaysptrans/pay_bank":                             true,
	"mmpaysptrans/query_bank":                           true,
	"papay/entrustweb":                                  true,
	"papay/h5entrustweb":                                true,
	"papay/partner/entrustweb":                          true,
	"papay/partner/h5entrustweb":                        true,
	"pay/downloadbill":                                  true,
	"pay/downloadfundflow":                              true,
	"payitil/report":                                    true,
	"risk/getpublickey":                                 true,
	"risk/getviolation":                                 true,
	"secapi/mch/submchmanage":                           true,
	"xdc/apiv2getsignkey/sign/getsignkey":               true,
}

// IsUnsignedAnswer reports whether WeChat Pay answers the endpoint at path
// (relative to the API root, escaped as on the wire, without the v2/
// prefix, e.g. "mmpaymkttransfers/sendredpack") without a sign. The
// comparison is exact (a leading "/" aside), so an encoded character or a
// trailing slash can never make a signed endpoint look unsigned.
func IsUnsignedAnswer(path string) bool {
	return unsignedAnswers[strings.TrimPrefix(path, "/")]
}

// IsFileAnswer reports whether a successful answer of the endpoint at path
// is a file (a bill) rather than an XML document: pay/downloadbill and
// pay/downloadfundflow. Their failures are still XML.
func IsFileAnswer(path string) bool {
	p := strings.TrimPrefix(path, "/")
	return p == "pay/downloadbill" || p == "pay/downloadfundflow"
}

// The sign-type rules of particular endpoints (paths without the v2/
// prefix), per the APIv2 documentation.
var (
	// hmacOnly endpoints accept only sign_type=HMAC-SHA256.
	hmacOnly = map[string]bool{
		"pay/downloadfundflow":                true,
		"billcommentsp/batchquerycomment":     true,
		"secapi/pay/profitsharing":            true,
		"secapi/pay/multiprofitsharing":       true,
		"secapi/pay/profitsharingfinish":      true,
		"secapi/pay/profitsharingreturn":      true,
		"pay/profitsharingaddreceiver":        true,
		"pay/profitsharingremovereceiver":     true,
		"pay/profitsharingquery":              true,
		"pay/profitsharingreturnquery":        true,
		"pay/profitsharingorderamountquery":   true,
		"pay/profitsharingmerchantratioquery": true,
		"papay/h5entrustweb":                  true,
	}
	// md5WithoutField endpoints are signed with MD5 and take no sign_type.
	md5WithoutField = map[string]bool{
		"mmpaymkttransfers/promotion/transfers": true,
		"mmpaymkttransfers/gettransferinfo":     true,
		"mmpaysptrans/pay_bank":                 true,
		"mmpaysptrans/query_bank":               true,
		"risk/getpublickey":                     true,
	}
	// md5Only endpoints are signed with MD5 (sign_type, if given, is MD5).
	md5Only = map[string]bool{
		"mmpaymkttransfers/sendredpack":       true,
		"mmpaymkttransfers/sendgroupredpack":  true,
		"mmpaymkttransfers/sendminiprogramhb": true,
		"mmpaymkttransfers/gethbinfo":         true,
	}
)

// CheckSignType reports whether the sign_type field value signType ("" when
// absent) suits the endpoint at path (without the v2/ prefix): HMAC-SHA256
// is required by the fund-flow bill, comment and profit-sharing endpoints
// and papay/h5entrustweb; transfers, bank payouts and risk/getpublickey
// take no sign_type (MD5); red packets and the sandbox (sandboxnew/…) are
// MD5 only. Other endpoints accept either. The error says what to change.
func CheckSignType(path, signType string) error {
	p := strings.TrimPrefix(path, "/")
	switch {
	case hmacOnly[p] && signType != SignTypeHMACSHA256:
		return fmt.Errorf("apiv2: %s is signed with HMAC-SHA256 only: add sign_type=%s", p, SignTypeHMACSHA256)
	case md5WithoutField[p] && signType != "":
		return fmt.Errorf("apiv2: %s takes no sign_type field (it is signed with MD5): remove it", p)
	case (md5Only[p] || strings.HasPrefix(p, "sandboxnew/")) && signType != "" && signType != SignTypeMD5:
		return fmt.Errorf("apiv2: %s is signed with MD5 only: remove sign_type or set it to %s", p, SignTypeMD5)
	}
	return nil
}
