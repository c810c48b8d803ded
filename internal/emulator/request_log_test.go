package emulator

import (
	"log"
	"strings"
	"testing"
)

func TestRequestLogMarksDrops(t *testing.T) {
	var logs syncBuffer
	c := newTest(t, Options{})
	c.s.logger = log.New(&logs, "", 0)
	c.s.AddFault(Fault{Method: "POST", Kind: FaultDropAfterProcess, Times: 1})
	if _, err := c.try("POST", "/service_users", `{}`); err == nil {
		t.Fatal("want a connection error")
	}
	if !strings.Contains(logs.String(), "POST /service_users dropped") {
		t.Fatalf("log: %s", logs.String())
	}
}
