package wechatpaytest

import "github.com/wechatpay-chain/wechatpay"

// Client returns a *wechatpay.Client configured for this server: its merchant
// id, merchant serial and key, the platform key (or certificate) that signs
// its answers, its APIv3 key (for callbacks and certificates) and its URL.
// tweak, when given, may adjust the configuration (a logger, a retry
// policy) before the client is built.
func (s *Server) Client(tweak ...func(*wechatpay.Config)) (*wechatpay.Client, error) {
	cfg := wechatpay.Config{
		MchID:      s.MchID(),
		Serial:     s.MerchantSerial(),
		PrivateKey: s.MerchantKey(),
		Certs:      s.Certs(),
		APIv3Key:   s.APIv3Key(),
		BaseURL:    s.URL,
	}
	for _, t := range tweak {
		t(&cfg)
	}
	return wechatpay.NewClient(cfg)
}
