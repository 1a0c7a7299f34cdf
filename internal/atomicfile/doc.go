// Package atomicfile writes rlplan's outputs so that no reader, crash or
// failure ever sees a partial write, and so that no file the user owns is
// replaced without their say.
//
//   - WriteFile writes one file through a synced temporary file renamed over
//     the destination.
//   - WriteOwned is WriteFile for an output file named by the user (-o): an
//     existing file is replaced only if rlplan wrote it (its folder's manifest
//     lists it with its current SHA-256), or under Force.
//   - WriteDir commits a whole output folder (any files and sub-folders) at
//     once: the new set is built in a sibling folder and swapped in, so a
//     failure leaves the previous set whole; the previous set's files that
//     the new one lacks are removed, and the user's files are never touched
//     without Force.
//
// The manifest (ManifestName) is the folder's record of what rlplan wrote;
// see docs/input-formats.md, "Output folders". The package imports only the
// standard library and golang.org/x/sys.
package atomicfile
