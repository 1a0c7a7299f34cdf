# rlplan — build, test, benchmark.
# h3-go needs cgo: a C compiler (gcc or clang) must be on PATH.
GO        ?= go
CC        ?= gcc
PKGS      := ./...
# Fuzz budget per target: a duration (30s) or an execution count (25000x, as CI).
FUZZTIME  ?= 30s

.PHONY: all build test test-race bench lint fuzz examples cc-check clean

all: lint test build

cc-check:
	@command -v $(CC) >/dev/null 2>&1 || { \
	  echo "error: no C compiler found ('$(CC)'). rlplan uses github.com/uber/h3-go (cgo)."; \
	  echo "       Install gcc (Debian/Ubuntu: apt-get install gcc; macOS: xcode-select --install)"; \
	  echo "       or point CC at another C compiler, then run make again."; exit 1; }
	@test "$$($(GO) env CGO_ENABLED)" = "1" || { \
	  echo "error: CGO_ENABLED=0; rlplan needs cgo for h3-go. Run: CGO_ENABLED=1 make ..."; exit 1; }

build: cc-check
	$(GO) build -o bin/rlplan ./cmd/rlplan

# The command package runs every command end to end; on a shared machine (2
# cores, load 20) it takes longer than go test's 10-minute default.
test: cc-check
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 30m $(PKGS)

# Packages that run goroutines (parallel plants, solver workers, index readers).
RACE_PKGS := ./geo ./geo/roads ./planner/week ./solver/routing ./solver/routing/periodic ./solver/location
# The planner package starts no goroutine of its own: under the race detector
# run its tests that drive the concurrent parts end to end (plants planned in
# parallel, siting workers, the road matrix); make test runs them all.
RACE_PLANNER := TestWeekSimulation|TestPlanMap|TestPlanWeekOnRoadGraph|TestRunPlanOnRoadGraph|TestTypedSitingIsThePlansSiting

# Compiled once, then the two runs go side by side (the first is mostly one
# package at a time).
test-race: cc-check
	$(GO) test -race -count=1 -run '^$$' $(RACE_PKGS) ./planner >/dev/null
	@$(GO) test -race -count=1 -short $(RACE_PKGS) & p=$$!; \
	  $(GO) test -race -count=1 -short -run '^($(RACE_PLANNER))$$' ./planner; s=$$?; \
	  wait $$p || exit 1; exit $$s

lint: cc-check
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

bench: cc-check
	$(GO) test -run '^$$' -bench . -benchmem -benchtime 1x ./geo/... ./planner/...

# Every example of every command's --help, run as written (minutes; see cmd/rlplan/examples_test.go).
examples: cc-check
	RLPLAN_EXAMPLES=1 $(GO) test -count=1 -run ExamplesRun -timeout 30m ./cmd/rlplan

fuzz: cc-check
	@bash scripts/fuzz-all.sh $(FUZZTIME)

clean:
	rm -rf bin
