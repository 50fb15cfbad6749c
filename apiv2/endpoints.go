package apiv2

import "strings"

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
