// Command wechatpay calls WeChat Pay APIv3 endpoints from the shell, runs a
// local mock of WeChat Pay, and demonstrates the library end to end.
//
// Usage:
//
//	wechatpay demo                       run the seed example in every chain style
//	wechatpay get|post|put|patch|delete PATH [flags]
//	                                     call any endpoint, signed and verified
//	wechatpay mock [--addr A] [--dir D]  run a local WeChat Pay server
//	wechatpay describe [METHOD] PATH     show an endpoint's documented fields
//	wechatpay endpoints [WORDS…]         search the endpoint catalog
//	wechatpay bill --date D [--gzip] -o FILE
//	                                     apply for a bill and download it, hash checked
//	wechatpay download URL [--sha1 H] -o FILE
//	                                     download a file with a signed GET
//	wechatpay upload PATH FILE [--meta JSON]
//	                                     upload an image or file (multipart, meta signed)
//	wechatpay notify URL [--event E] [--resource JSON]
//	                                     send a signed, encrypted callback from a mock's keys
//
// PATH is a chain template such as
// "v3/pay/transactions/out-trade-no/{out_trade_no}", sent verbatim (a PATH
// holding "/" is never renamed, so a literal id such as ORDER20261201A
// stays as typed); -p fills its variables,
// -q adds query parameters, --json sends a JSON body and -H adds headers.
// Credentials come from the WECHATPAY_MCHID, WECHATPAY_SERIAL,
// WECHATPAY_PRIVATE_KEY (a file path), WECHATPAY_CERTS (serial=file,…) and
// WECHATPAY_BASE_URL environment variables, or from the flags of the same
// names; secrets are never passed on the command line. Before a call the
// --json body is checked against the endpoint catalog (package catalog;
// --no-validate skips it), and a PATH the catalog does not know gets the
// nearest documented paths.
//
// Exit codes: 0 success, 1 API error (non-2xx answer), 2 usage or template
// error, 3 the answer's signature did not verify, 4 network or other error,
// 5 a downloaded file's checksum did not match (nothing is kept).
//
// Run "wechatpay help" or "wechatpay COMMAND -h" for details.
package main
