//go:build linux

package atomicfile

import (
	"errors"

	"golang.org/x/sys/unix"
)

// exchange swaps two paths atomically with renameat2(RENAME_EXCHANGE): at
// every instant one of the two folders is at each path. File systems that
// cannot (some network and FUSE file systems, kernels before 3.15) report
// errExchangeUnsupported.
var exchange = func(a, b string) error {
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EINVAL) || errors.Is(err, unix.EOPNOTSUPP) {
		return errExchangeUnsupported
	}
	return err
}
