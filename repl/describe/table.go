package describe

// describeTables is \d NAME: one description per relation the pattern names.
func (d *describer) describeTables(pattern string, verbose, system bool) error {
	return failf("not yet")
}
