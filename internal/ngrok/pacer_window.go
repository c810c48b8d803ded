package ngrok

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// window is what the pacer knows of the account's rolling window: the slots
// its own requests hold (in this process, or in every process sharing the
// file) and the slots a 429 showed someone else to hold.
type window struct {
	slots []slot
	// others is how many requests of other clients the API counted, as last
	// learned from a 429; they all leave the window by othersUntil.
	others      int
	othersUntil time.Time
}

// slot is one of our requests. until is when the API has certainly stopped
// counting it: one window after its reply, or, while it is in flight, one
// window after the longest an attempt is assumed to last.
type slot struct {
	id    uint64
	until time.Time
}

// inFlightHold bounds how long a slot is held for a request whose reply has
// not come: past it, the request is taken to have died with its process.
// It is well over the default attempt timeout (60s); a reply that does come
// later puts the slot back.
const inFlightHold = 5 * time.Minute

// prune drops what has left the window by now, and anything claiming to stay
// longer than a slot can (a clock set back, or a damaged file), which would
// otherwise block the account for good.
func (w *window) prune(now time.Time, longest time.Duration) {
	horizon := now.Add(longest)
	kept := w.slots[:0]
	for _, s := range w.slots {
		if s.until.After(now) && !s.until.After(horizon) {
			kept = append(kept, s)
		}
	}
	w.slots = kept
	if !w.othersUntil.After(now) || w.othersUntil.After(horizon) || w.others < 0 {
		w.others, w.othersUntil = 0, time.Time{}
	}
}

func (w *window) used() int { return len(w.slots) + w.others }

// next is when the first slot now held leaves the window.
func (w *window) next() time.Time {
	var t time.Time
	for _, s := range w.slots {
		if t.IsZero() || s.until.Before(t) {
			t = s.until
		}
	}
	if w.others > 0 && (t.IsZero() || w.othersUntil.Before(t)) {
		t = w.othersUntil
	}
	return t
}

func (w *window) find(id uint64) int {
	for i, s := range w.slots {
		if s.id == id {
			return i
		}
	}
	return -1
}

// hold sets when slot id leaves the window, adding it again if it was
// dropped (a reply later than inFlightHold).
func (w *window) hold(id uint64, until time.Time) {
	if i := w.find(id); i >= 0 {
		w.slots[i].until = until
		return
	}
	w.slots = append(w.slots, slot{id: id, until: until})
}

// refused records a 429 to slot id, replied at now: the API did not count
// the request, and found the window full. What we hold does not fill it, so
// other clients hold the rest, and those all leave within a window of now.
// A storm of 429s keeps the largest count and the latest end: it costs one
// window in all, not one each.
func (w *window) refused(id uint64, now time.Time, limit int, win time.Duration) {
	if i := w.find(id); i >= 0 {
		w.slots = append(w.slots[:i], w.slots[i+1:]...)
	}
	others := limit - len(w.slots)
	if others <= 0 {
		return
	}
	w.others = max(w.others, others)
	if until := now.Add(win); until.After(w.othersUntil) {
		w.othersUntil = until
	}
}

// windowFileHeader starts a window file; a file that does not start with it
// (another version, a damaged write) is read as an empty window.
const windowFileHeader = "terraform-provider-ngrok rate-limit window v1"

// encode writes w as text: the header, an "others" line, then one line a slot.
func (w *window) encode() []byte {
	var b bytes.Buffer
	b.WriteString(windowFileHeader + "\n")
	fmt.Fprintf(&b, "others %d %d\n", w.others, unixNano(w.othersUntil))
	for _, s := range w.slots {
		fmt.Fprintf(&b, "slot %d %d\n", s.id, unixNano(s.until))
	}
	b.WriteString("end\n")
	return b.Bytes()
}

// decodeWindow reads what encode wrote. Anything else, including a file cut
// short (no "end" line), is an error; the caller treats it as empty.
func decodeWindow(data []byte) (window, error) {
	var w window
	sc := bufio.NewScanner(bytes.NewReader(data))
	if !sc.Scan() || sc.Text() != windowFileHeader {
		return window{}, fmt.Errorf("not a rate-limit window file")
	}
	ended := false
	for sc.Scan() {
		if ended {
			return window{}, fmt.Errorf("data after the end")
		}
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 1 && f[0] == "end":
			ended = true
		case len(f) == 3 && f[0] == "others":
			n, err1 := strconv.Atoi(f[1])
			t, err2 := strconv.ParseInt(f[2], 10, 64)
			if err1 != nil || err2 != nil || n < 0 {
				return window{}, fmt.Errorf("bad line %q", sc.Text())
			}
			w.others, w.othersUntil = n, fromUnixNano(t)
		case len(f) == 3 && f[0] == "slot":
			id, err1 := strconv.ParseUint(f[1], 10, 64)
			t, err2 := strconv.ParseInt(f[2], 10, 64)
			if err1 != nil || err2 != nil {
				return window{}, fmt.Errorf("bad line %q", sc.Text())
			}
			w.slots = append(w.slots, slot{id: id, until: fromUnixNano(t)})
		default:
			return window{}, fmt.Errorf("bad line %q", sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		return window{}, err
	}
	if !ended {
		return window{}, fmt.Errorf("cut short")
	}
	return w, nil
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
