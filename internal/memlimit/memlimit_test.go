package memlimit

import "testing"

func TestParse(t *testing.T) {
	mi := []byte("MemTotal:       24683520 kB\nMemFree:        23369792 kB\nMemAvailable:   24220000 kB\n")
	if v, ok := parseMeminfo(mi); !ok || v != 24220000<<10 {
		t.Errorf("MemAvailable = %d %v, want %d", v, ok, int64(24220000)<<10)
	}
	if _, ok := parseMeminfo([]byte("MemTotal: 1 kB\n")); ok {
		t.Error("a meminfo without MemAvailable was read")
	}
	if v, ok := parseCgroup([]byte("1073741824\n"), []byte("73741824\n")); !ok || v != 1<<30-73741824 {
		t.Errorf("cgroup free = %d %v", v, ok)
	}
	if _, ok := parseCgroup([]byte("max\n"), []byte("5\n")); ok {
		t.Error("an unlimited cgroup gave a limit")
	}
	if v, ok := parseCgroup([]byte("100\n"), []byte("200\n")); !ok || v != 0 {
		t.Errorf("a cgroup over its limit: %d %v, want 0", v, ok)
	}
	if a := Available(); a <= 0 {
		t.Errorf("Available() = %d, want > 0", a)
	}
	for b, want := range map[float64]string{18.44e9: "18.4 GB", 512e6: "512 MB", 3e3: "3 kB"} {
		if got := Format(b); got != want {
			t.Errorf("Format(%g) = %q, want %q", b, got, want)
		}
	}
}
