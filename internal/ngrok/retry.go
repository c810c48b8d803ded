package ngrok

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// checkRetry decides whether an attempt is retried:
//   - 429 (too many simultaneous requests, or the rate limit when unpaced):
//     always, since the API refused the request without acting on it; a
//     paced client waits out the rate limit before this (pacedTransport);
//   - 5xx other than 501, and connections lost after sending: only for
//     idempotent requests, because a POST may already have created a user
//     (collection.create reconciles those itself);
//   - a refused connection: always, since nothing was sent;
//   - TLS verification failures, a cancelled context: never; but a reply
//     that came before the context ended is the reply, not an interruption:
//     a create's 201 holds the only copy of its token.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		if err == nil && resp != nil && resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode < 500 {
			return false, nil
		}
		if errors.Is(err, errRateLimitWait) {
			return false, fmt.Errorf("%w: %w", ctx.Err(), errRateLimitWait)
		}
		return false, ctx.Err()
	}
	idempotent, _ := ctx.Value(idempotentKey{}).(bool)
	if err != nil {
		// A certificate that fails verification will fail again; and TLS
		// verification is never relaxed to get through.
		var verifyErr *tls.CertificateVerificationError
		var authorityErr x509.UnknownAuthorityError
		var hostErr x509.HostnameError
		var invalidErr x509.CertificateInvalidError
		if errors.As(err, &verifyErr) || errors.As(err, &authorityErr) || errors.As(err, &hostErr) || errors.As(err, &invalidErr) {
			return false, err
		}
		return idempotent || isDialError(err), nil
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests:
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return idempotent, nil
	}
	return false, nil
}

// backoff waits what Retry-After asks when the reply has one (ngrok's does
// not today), otherwise an exponentially growing, fully jittered delay so
// that parallel operations do not retry in lockstep.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := retryAfter(resp.Header.Get("Retry-After")); ok {
			return min(d, maxWait)
		}
	}
	ceiling := minWait << min(attempt, 20)
	if ceiling <= 0 || ceiling > maxWait {
		ceiling = maxWait
	}
	// Half fixed, half random: never zero, never synchronized.
	half := ceiling / 2
	return half + rand.N(half+1)
}

func retryAfter(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}
