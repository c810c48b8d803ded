package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestGeneratedAPIKey(t *testing.T) {
	a, b := New(Options{}), New(Options{})
	if !strings.HasPrefix(a.APIKey(), "emu_") || a.APIKey() == b.APIKey() || len(a.APIKey()) < 20 {
		t.Fatalf("generated keys %q, %q", a.APIKey(), b.APIKey())
	}
}

func TestStartURLClose(t *testing.T) {
	s := New(Options{})
	if s.URL() != "" {
		t.Fatal("URL before Start")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(""); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL = %q", s.URL())
	}
	if err := s.Start(""); err == nil {
		t.Fatal("second Start succeeded")
	}
	req, _ := http.NewRequest("GET", s.URL()+"/service_users", nil)
	req.Header.Set("Authorization", "Bearer "+s.APIKey())
	req.Header.Set("Ngrok-Version", "2")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if res, err := http.Get(s.URL() + "/service_users"); err == nil {
		_ = res.Body.Close()
		t.Fatal("still serving after Close")
	}

	// A wildcard listener reports a loopback URL a local client can use.
	w := New(Options{})
	if err := w.Start("0.0.0.0:0"); err != nil {
		t.Skipf("cannot listen on 0.0.0.0: %v", err)
	}
	defer func() { _ = w.Close() }()
	if !strings.HasPrefix(w.URL(), "http://127.0.0.1:") {
		t.Fatalf("wildcard URL = %q", w.URL())
	}
}

func TestCloseCancelsSlowRequests(t *testing.T) {
	s := New(Options{Latency: time.Minute})
	if err := s.Start(""); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", s.URL()+"/service_users", nil)
		req.Header.Set("Authorization", "Bearer "+s.APIKey())
		req.Header.Set("Ngrok-Version", "2")
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			_ = res.Body.Close()
		}
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Fatal("the slow request got a reply")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the slow request outlived Close")
	}
}
