package emulator

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// BenchmarkListPage measures one small page of a large collection, served
// in-process: the cost should follow the page size, not the collection's.
func BenchmarkListPage(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		s := New(Options{APIKey: "bench_key"})
		s.SeedUsers(n, "bench")
		if _, err := s.SeedCredentials("credentials", n, "bench"); err != nil {
			b.Fatal(err)
		}
		for _, path := range []string{"/service_users?limit=1", "/credentials?limit=1"} {
			b.Run(strconv.Itoa(n)+path, func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.Header.Set("Authorization", "Bearer bench_key")
				req.Header.Set("Ngrok-Version", "2")
				for b.Loop() {
					w := httptest.NewRecorder()
					s.ServeHTTP(w, req)
					if w.Code != http.StatusOK {
						b.Fatalf("status %d: %s", w.Code, w.Body)
					}
				}
			})
		}
	}
}
