package wechatpay

import "context"

// DoAsync prepares the request now (so option and template errors, and the
// options map itself, are settled before it returns) and sends it in its own
// goroutine under ctx. Cancelling ctx aborts the call; the returned future's
// Wait only bounds the wait.
func (ch *Chain) DoAsync(ctx context.Context, method string, opts Options) *Future[*Response] {
	if err := ch.usable(); err != nil {
		return resolved[*Response](nil, err)
	}
	req, err := ch.prepareSealed(ctx, method, opts) // sensitive.go
	if err != nil {
		return resolved[*Response](nil, err)
	}
	return Go(ctx, func(ctx context.Context) (*Response, error) {
		return ch.client.send(ctx, req)
	})
}

// GetAsync sends a GET request asynchronously. See [Chain.DoAsync].
func (ch *Chain) GetAsync(ctx context.Context, opts Options) *Future[*Response] {
	return ch.DoAsync(ctx, "GET", opts)
}

// PostAsync sends a POST request asynchronously. See [Chain.DoAsync].
func (ch *Chain) PostAsync(ctx context.Context, opts Options) *Future[*Response] {
	return ch.DoAsync(ctx, "POST", opts)
}

// PutAsync sends a PUT request asynchronously. See [Chain.DoAsync].
func (ch *Chain) PutAsync(ctx context.Context, opts Options) *Future[*Response] {
	return ch.DoAsync(ctx, "PUT", opts)
}

// PatchAsync sends a PATCH request asynchronously. See [Chain.DoAsync].
func (ch *Chain) PatchAsync(ctx context.Context, opts Options) *Future[*Response] {
	return ch.DoAsync(ctx, "PATCH", opts)
}

// DeleteAsync sends a DELETE request asynchronously. See [Chain.DoAsync].
func (ch *Chain) DeleteAsync(ctx context.Context, opts Options) *Future[*Response] {
	return ch.DoAsync(ctx, "DELETE", opts)
}
