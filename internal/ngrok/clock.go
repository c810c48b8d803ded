package ngrok

import (
	"net/http"
	"sync"
	"time"
)

// serverClock bounds the API's clock from the Date headers of its replies,
// because created_at is stamped by the API's clock, not ours, and a create
// whose reply was lost must tell what was made since it was sent from what
// was there before.
//
// A reply's Date is the API's time, to the second, at some instant between
// the sending of its request and the receipt of its reply. So each reply
// bounds the API's offset from the local clock (API minus local):
//
//	Date - received <= offset < Date + 1s - sent
//
// and every reply narrows the interval, most of all those whose Date ticked
// just before or after they were stamped. Clocks that disagree with an
// earlier bound (the API's clock was set, or ours) start the interval anew.
type serverClock struct {
	mu     sync.Mutex
	lo, hi time.Duration // the offset lies in [lo, hi)
	known  bool
}

func (s *serverClock) observe(date string, sent, received time.Time) {
	t, err := http.ParseTime(date)
	if err != nil {
		return
	}
	lo, hi := t.Sub(received), t.Add(time.Second).Sub(sent)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.known && lo < s.hi && hi > s.lo {
		s.lo, s.hi = max(s.lo, lo), min(s.hi, hi)
		return
	}
	s.lo, s.hi, s.known = lo, hi, true
}

// noDateSkew is how far the API's clock is assumed to be from ours before any
// reply has shown it.
const noDateSkew = 2 * time.Minute

// seconds returns the first and the last whole second of the API's clock
// that local time t could fall in. With no Date seen, it allows noDateSkew
// either way.
func (s *serverClock) seconds(t time.Time) (first, last time.Time) {
	s.mu.Lock()
	lo, hi, known := s.lo, s.hi, s.known
	s.mu.Unlock()
	if !known {
		lo, hi = -noDateSkew, noDateSkew
	}
	// hi is exclusive: the last instant is a nanosecond before it.
	return t.Add(lo).Truncate(time.Second), t.Add(hi - time.Nanosecond).Truncate(time.Second)
}
