package wechatpay

// ErrCallbackProbe exposes the probe sentinel of callbacks to the external
// tests until issue 8's ErrSignatureProbe lands.
var ErrCallbackProbe = errCallbackProbe
