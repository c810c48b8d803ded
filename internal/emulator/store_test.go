package emulator

import (
	"bytes"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestBase62MatchesKSUID(t *testing.T) {
	// The largest KSUID, as the reference implementation writes it.
	if maxKSUID != "aWgEPTl1tmebfsQzFP4bxwgy80V" {
		t.Fatalf("maxKSUID = %s", maxKSUID)
	}
	if got := encodeBase62(make([]byte, 20)); got != strings.Repeat("0", 27) {
		t.Fatalf("zero = %s", got)
	}
	// Cross-check the long division against math/big.
	b := bytes.Repeat([]byte{0x5a, 0xc3}, 10)
	n := new(big.Int).SetBytes(b)
	var want []byte
	for i := 0; i < 27; i++ {
		m := new(big.Int)
		n.DivMod(n, big.NewInt(62), m)
		want = append([]byte{base62Alphabet[m.Int64()]}, want...)
	}
	if got := encodeBase62(b); got != string(want) {
		t.Fatalf("encodeBase62 = %s, want %s", got, want)
	}
}

func TestIDsSortInCreationOrder(t *testing.T) {
	clock := newFakeClock()
	s := New(Options{Now: clock.Now})
	var ids []string
	for i := range 300 {
		switch {
		case i%100 == 50:
			clock.Advance(-48 * time.Hour) // a clock that jumps back
		case i%7 == 0:
			clock.Advance(time.Second)
		}
		var u User
		if i%3 == 0 {
			u = s.AddBotUser("b", true)
		} else {
			u = s.AddUser("s", true)
		}
		if !validUserID(u.ID) {
			t.Fatalf("invalid id %q", u.ID)
		}
		ids = append(ids, idSuffix(u.ID))
	}
	if !sort.StringsAreSorted(ids) {
		t.Fatal("ID suffixes do not sort in creation order")
	}
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			t.Fatal("duplicate id")
		}
	}
}

func TestValidUserID(t *testing.T) {
	good := "service_" + newKSUID(time.Now(), 7)
	for id, want := range map[string]bool{
		good:                                  true,
		"bot_" + idSuffix(good):               true,
		"service_32ELIFubEAAGUeRtreNW6kr94Od": true, // from ngrok's docs
		"bot_" + maxKSUID:                     true,
		"service_aWgEPTl1tmebfsQzFP4bxwgy80W": false, // one above the maximum
		"service_32ELIFubEAAGUeRtreNW6kr94O":  false,
		"service_32ELIFubEAAGUeRtreNW6kr94O_": false,
		"key_32ELIFubEAAGUeRtreNW6kr94Od":     false,
		"32ELIFubEAAGUeRtreNW6kr94Od":         false,
	} {
		if got := validUserID(id); got != want {
			t.Errorf("validUserID(%q) = %v", id, got)
		}
	}
}
