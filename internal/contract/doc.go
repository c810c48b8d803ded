// Package contract holds the contract suite: every assumption the provider,
// its client (internal/ngrok) and the emulator make about ngrok's API, each
// one named test case (TestContract_…), run against the emulator by `go
// test` and against a real account when NGROK_CONTRACT_API_KEY is set.
//
// Where ngrok documents a behaviour, or our code depends on one, a case
// asserts it: a case the real API fails means a hedge in the code is missing
// or an assumption is wrong. Where ngrok documents nothing and the code works
// either way, a case records what the real API does (in the test log, as
// OBSERVED lines) and, against the emulator, checks each of its options.
//
// The package has no code outside its tests.
package contract
