package ngrok

import "os"

// writeFileAtomic writes data beside path and renames it over path, so that
// a reader (another process, or this one after a crash) sees the old file or
// the new one whole, never half of either.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}
