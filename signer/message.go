package signer

import "strconv"

// RequestMessage builds the string a merchant signs for an APIv3 request:
//
//	METHOD\nTARGET\nTIMESTAMP\nNONCE\nBODY\n
//
// Every line ends in "\n", so an empty body gives a message ending in
// "\n\n". method must already be upper case and target must be exactly the
// request target sent on the wire (escaped path, plus "?" and the raw query
// when there is one; never scheme or host). The arguments are used
// verbatim.
func RequestMessage(method, target string, timestamp int64, nonce string, body []byte) []byte {
	var ts [20]byte
	t := strconv.AppendInt(ts[:0], timestamp, 10)
	return appendRequestMessage(make([]byte, 0, len(method)+len(target)+len(t)+len(nonce)+len(body)+5), method, target, t, nonce, body)
}

// appendRequestMessage appends the request message to dst; timestamp is
// already decimal.
func appendRequestMessage[N string | []byte](dst []byte, method, target string, timestamp []byte, nonce N, body []byte) []byte {
	dst = append(dst, method...)
	dst = append(dst, '\n')
	dst = append(dst, target...)
	dst = append(dst, '\n')
	dst = append(dst, timestamp...)
	dst = append(dst, '\n')
	dst = append(dst, nonce...)
	dst = append(dst, '\n')
	dst = append(dst, body...)
	dst = append(dst, '\n')
	return dst
}

// ResponseMessage builds the string WeChat Pay signs for an answer or a
// callback:
//
//	TIMESTAMP\nNONCE\nBODY\n
//
// timestamp and nonce are the Wechatpay-Timestamp and Wechatpay-Nonce
// header values, used verbatim.
func ResponseMessage(timestamp, nonce string, body []byte) []byte {
	msg := make([]byte, 0, len(timestamp)+len(nonce)+len(body)+3)
	msg = append(msg, timestamp...)
	msg = append(msg, '\n')
	msg = append(msg, nonce...)
	msg = append(msg, '\n')
	msg = append(msg, body...)
	msg = append(msg, '\n')
	return msg
}

// StatementMessageBody returns the body that stands in for an overseas
// statement in its signed message: {"sha1":"<digest>"}, where digest is the
// Wechatpay-Statement-Sha1 header value, verbatim.
func StatementMessageBody(digest string) []byte {
	return []byte(`{"sha1":"` + digest + `"}`)
}
