package main

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/datasets"
	"github.com/rlplan/rlplan/planner"
)

// setupHelpAndCompletion adds cobra's help and completion commands with
// examples (every command has one, tested), and completes flag values:
// province codes for --region, the formats a --format accepts, and file
// names by extension for the input flags (inputs.go).
func setupHelpAndCompletion(root *cobra.Command) {
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		switch c.Name() {
		case "help":
			c.Example = "  rlplan help plan\n  rlplan help bench routing"
		case "completion":
			c.Long += completionLong
			c.Example = completionExamples["bash"] + "\n" + completionExamples["zsh"] + "\n" + completionExamples["fish"]
			for _, sub := range c.Commands() {
				if ex, ok := completionExamples[sub.Name()]; ok {
					sub.Example = ex
				}
			}
		}
	}
	walk(root, func(c *cobra.Command) {
		if f := c.Flags().Lookup("region"); f != nil {
			_ = c.RegisterFlagCompletionFunc("region", completeRegions)
		}
		if f := c.Flags().Lookup("format"); f != nil {
			completeWords(c, "format", formatWords(f)...)
		}
		for flag, words := range map[string][]string{
			"by":        {"nation", "province", "region"},
			"objective": {planner.ObjectiveCoverage, planner.ObjectiveMedian, planner.ObjectiveCapacitated, planner.ObjectiveCover},
		} {
			if c.Flags().Lookup(flag) != nil {
				completeWords(c, flag, words...)
			}
		}
	})
}

const completionLong = `
Install once per user (the examples write into your home folder; open a new shell afterwards):
  bash  ~/.local/share/bash-completion/completions/rlplan (needs the bash-completion package)
  zsh   a folder on $fpath, e.g. ~/.zfunc with "fpath=(~/.zfunc $fpath); autoload -U compinit; compinit" in ~/.zshrc
  fish  ~/.config/fish/completions/rlplan.fish
Completion offers commands, flags, province codes for --region, the values of --format,
--by and --objective, and file names of the right kind for input flags (--stock *.csv).`

var completionExamples = map[string]string{
	"bash":       `  mkdir -p ~/.local/share/bash-completion/completions && rlplan completion bash > ~/.local/share/bash-completion/completions/rlplan`,
	"zsh":        `  mkdir -p ~/.zfunc && rlplan completion zsh > ~/.zfunc/_rlplan`,
	"fish":       `  mkdir -p ~/.config/fish/completions && rlplan completion fish > ~/.config/fish/completions/rlplan.fish`,
	"powershell": `  rlplan completion powershell > rlplan.ps1`,
}

// annotationExampleNeeds on a command (or a parent) says what its examples
// need that the embedded data does not have; `make examples` skips them.
const annotationExampleNeeds = "rlplan_example_needs"

// walk calls fn on c and every command under it.
func walk(c *cobra.Command, fn func(*cobra.Command)) {
	fn(c)
	for _, sub := range c.Commands() {
		walk(sub, fn)
	}
}

var formatNames = regexp.MustCompile(`\b(table|csv|json|text|report|markdown)\b`)

// formatWords lists the formats a --format flag's usage names.
func formatWords(f *pflag.Flag) []string {
	seen := map[string]bool{}
	var out []string
	for _, w := range formatNames.FindAllString(f.Usage, -1) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

var (
	regionsOnce sync.Once
	regionCodes []string
)

// completeRegions offers CN and the province codes of the embedded
// boundaries.
func completeRegions(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
	regionsOnce.Do(func() {
		regionCodes = []string{"CN"}
		b, err := fs.ReadFile(datasets.FS, planner.DefaultProvinces)
		if err != nil {
			return
		}
		var fc struct {
			Features []struct {
				Properties struct {
					Code string `json:"iso_3166_2"`
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"features"`
		}
		if json.Unmarshal(b, &fc) != nil {
			return
		}
		var codes []string
		for _, f := range fc.Features {
			codes = append(codes, f.Properties.Code+"\t"+f.Properties.Name)
		}
		sort.Strings(codes)
		regionCodes = append(regionCodes, codes...)
	})
	var out []string
	up := strings.ToUpper(prefix)
	for _, c := range regionCodes {
		if strings.HasPrefix(c, up) {
			out = append(out, c)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
