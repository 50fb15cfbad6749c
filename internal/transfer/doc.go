// Package transfer holds the streaming mechanics of file downloads: a
// writer that hashes, counts and reports progress on the way to its
// destination, gzip detection by magic bytes, and a copy loop with one
// fixed buffer, so a download of any size runs in constant memory.
package transfer
