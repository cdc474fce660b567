package ui

// File returns an embedded static file by name, for the few assets served
// at a fixed address outside /static/ (/favicon.ico).
func File(name string) ([]byte, error) { return static.ReadFile("static/" + name) }
