package ngrok

import (
	"context"
	"sync"
	"time"
)

// sendState is what the attempts of one request learned about reaching the
// API. The transport fills it in; a caller reads it once the request has
// ended, because only the transport sees each attempt: whether it left the
// rate-limit queue, and what came back.
type sendState struct {
	mu sync.Mutex
	// acted is set once an attempt reached the API and was not refused
	// unprocessed: the API may have acted on the request. A refused
	// connection and a 429 (the API turns those away before acting) leave
	// it unset, and so does waiting in the queue.
	acted bool
	// sentAt is when the first attempt that may have acted was sent.
	sentAt time.Time
	// waiting says what the request was waiting for, for the message of a
	// request whose operation ended before it was sent.
	waiting string
	// onSend, when set, is called once, just before the first attempt is
	// handed to the network (see ledger.depart).
	onSend func()
}

type sendStateKey struct{}

// withSendState returns a context that carries s to the transport.
func withSendState(ctx context.Context, s *sendState) context.Context {
	return context.WithValue(ctx, sendStateKey{}, s)
}

// sendStateOf is the state a request's context carries; nil if none.
func sendStateOf(ctx context.Context) *sendState {
	s, _ := ctx.Value(sendStateKey{}).(*sendState)
	return s
}

// What a request waits for before it is sent.
const (
	waitingForBudget  = "waiting for room in the account's rate limit"
	waitingForContact = "waiting for the API's first reply to another request"
	waitingToRetry    = "waiting to retry"
)

func (s *sendState) wait(what string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	s.waiting = what
	s.mu.Unlock()
}

// sending records that an attempt is about to leave; it returns the time.
func (s *sendState) sending() time.Time {
	now := time.Now()
	if s == nil {
		return now
	}
	s.mu.Lock()
	onSend := s.onSend
	s.onSend = nil
	s.waiting = waitingToRetry
	s.mu.Unlock()
	if onSend != nil {
		onSend()
	}
	return now
}

// reached records that an attempt sent at at may have been acted on.
func (s *sendState) reached(at time.Time) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if !s.acted {
		s.acted, s.sentAt = true, at
	}
	s.mu.Unlock()
}

// outcome reports whether the API may have acted on the request, since when,
// and what the request was waiting for last.
func (s *sendState) outcome() (acted bool, sentAt time.Time, waiting string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.acted, s.sentAt, s.waiting
}
