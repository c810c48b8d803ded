package ngrok

import "testing"

func TestSameUser(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"service_X1", "bot_X1", true},
		{"bot_X1", "bot_X1", true},
		{"service_X1", "service_X2", false},
		{"usr_X1", "service_X1", false},
		{"usr_X1", "usr_X1", true},
		{"service_", "bot_", false},
	} {
		if got := SameUser(tc.a, tc.b); got != tc.same {
			t.Errorf("SameUser(%q, %q) = %t", tc.a, tc.b, got)
		}
	}
}

func TestOwnerFilter(t *testing.T) {
	if got, want := OwnerFilter("bot_X1"), `(obj.owner_id == "service_X1" || obj.owner_id == "bot_X1")`; got != want {
		t.Errorf("OwnerFilter(bot_) = %s, want %s", got, want)
	}
	if got, want := OwnerFilter("usr_X1"), `obj.owner_id == "usr_X1"`; got != want {
		t.Errorf("OwnerFilter(usr_) = %s, want %s", got, want)
	}
}
