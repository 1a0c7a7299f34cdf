// Package atomicfile writes output files so that readers see either the old
// file or the complete new one, never a partial write: the content goes to a
// temporary file in the same directory, which is synced and renamed over the
// destination only when everything succeeded.
//
// Every writer of rlplan output (planner exports, cmd commands) uses it, so
// that an interrupted or failed run does not leave a truncated GeoJSON or CSV
// that looks valid. It imports only the standard library.
package atomicfile
