package wechatpaytest

// PlatformKeyPEM returns the platform private key as PKCS#8 PEM. Only a
// test server has one to give: a standalone mock writes it so that another
// process (the command line's "notify") can sign callbacks as this server
// would, with [WithPlatformKey].
func (s *Server) PlatformKeyPEM() []byte {
	b, err := pkcs8PEM(s.platformKey)
	if err != nil { // cannot happen: the key was validated at start
		return nil
	}
	return b
}
