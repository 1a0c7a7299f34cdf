//go:build !linux

package atomicfile

// exchange is not available: WriteDir moves the old folder aside instead.
var exchange = func(a, b string) error { return errExchangeUnsupported }
