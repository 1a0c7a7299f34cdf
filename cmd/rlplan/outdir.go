package main

import (
	"io"

	"github.com/spf13/pflag"

	"github.com/rlplan/rlplan/internal/atomicfile"
)

// outFolder is the destination of a command that writes a folder of
// outputs (plan --out, routes -o). Every such command follows the same
// rules (atomicfile.WriteDir): it writes into a new folder, an empty one,
// or one rlplan wrote before (listed in its .rlplan-manifest.json);
// anything else needs --force. The whole set is committed at once, so a
// failure leaves the previous outputs whole, and the previous set's files
// that this run does not write are removed.
type outFolder struct {
	dir   string
	force bool
}

// register adds the folder flag (name, with an optional one-letter short
// form) and --force.
func (o *outFolder) register(fs *pflag.FlagSet, name, short, usage string) {
	fs.StringVarP(&o.dir, name, short, "", usage)
	fs.BoolVar(&o.force, "force", false, "write into a folder that holds files rlplan did not write (those in the way are replaced, the others kept)")
}

// write commits files (slash-separated paths, sub-folders allowed) as the
// folder's new output set; by names the command in the manifest.
func (o *outFolder) write(by string, files map[string]func(io.Writer) error) error {
	return atomicfile.WriteDir(o.dir, files, atomicfile.Options{By: by, Force: o.force})
}

// writeBytes is write for files rendered in memory (planner.Plan.Files).
func (o *outFolder) writeBytes(by string, files map[string][]byte) error {
	w := make(map[string]func(io.Writer) error, len(files))
	for n, b := range files {
		w[n] = func(out io.Writer) error { _, err := out.Write(b); return err }
	}
	return o.write(by, w)
}

// writeTables writes CSV tables (slices of gocsv-tagged structs) as the
// folder's output set.
func (o *outFolder) writeTables(by string, tables map[string]any) error {
	files := map[string]func(io.Writer) error{}
	for n, recs := range tables {
		files[n] = func(w io.Writer) error { return writeRecords(w, "csv", recs) }
	}
	return o.write(by, files)
}

// addFiles writes files into a folder's current output set (trace
// simulate, manifests, reconcile write beside a plan): the folder's other
// files stay; a user's file at a path written needs force.
func addFiles(dir, by string, force bool, files map[string]func(io.Writer) error) error {
	return atomicfile.WriteDir(dir, files, atomicfile.Options{By: by, Force: force, Add: true})
}

// addBytes is addFiles for files rendered in memory.
func addBytes(dir, by string, force bool, files map[string][]byte) error {
	w := make(map[string]func(io.Writer) error, len(files))
	for n, b := range files {
		w[n] = func(out io.Writer) error { _, err := out.Write(b); return err }
	}
	return addFiles(dir, by, force, w)
}
