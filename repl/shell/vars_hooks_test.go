package shell

import "testing"

func TestVariableHooks(t *testing.T) {
	v := NewVars()
	for _, tt := range []struct{ name, value, err, after string }{
		{"AUTOCOMMIT", "maybe", `unrecognized value "maybe" for "AUTOCOMMIT": Boolean expected`, "on"},
		{"AUTOCOMMIT", "o", `unrecognized value "o" for "AUTOCOMMIT": Boolean expected`, "on"},
		{"AUTOCOMMIT", "OF", "", "OF"},
		{"FETCH_COUNT", "lots", `invalid value "lots" for "FETCH_COUNT": integer expected`, "0"},
		{"FETCH_COUNT", "08", `invalid value "08" for "FETCH_COUNT": integer expected`, "0"},
		{"FETCH_COUNT", "2147483648", `invalid value "2147483648" for "FETCH_COUNT": integer expected`, "0"},
		{"FETCH_COUNT", " -0x1f", "", " -0x1f"},
		{"ON_ERROR_ROLLBACK", "sometimes", "unrecognized value \"sometimes\" for \"ON_ERROR_ROLLBACK\"\nAvailable values are: on, off, interactive.", "off"},
		{"ON_ERROR_ROLLBACK", "", "", "on"},
		{"IGNOREEOF", "x", "", "10"},
		{"ECHO", "", "unrecognized value \"\" for \"ECHO\"\nAvailable values are: none, errors, queries, all.", "none"},
		{"PROMPT1", "", "", ""},
		{"anything", "", "", ""},
	} {
		err := v.Assign(tt.name, tt.value)
		if msg := errText(err); msg != tt.err {
			t.Errorf("Assign(%s, %q): error %q, want %q", tt.name, tt.value, msg, tt.err)
		}
		if got, _ := v.Get(tt.name); got != tt.after {
			t.Errorf("after Assign(%s, %q): %q, want %q", tt.name, tt.value, got, tt.after)
		}
	}
	v.Remove("AUTOCOMMIT")
	v.Remove("PROMPT1")
	v.Remove("HISTSIZE")
	if a, _ := v.Get("AUTOCOMMIT"); a != "off" {
		t.Errorf("AUTOCOMMIT after \\unset: %q, want off", a)
	}
	if h, _ := v.Get("HISTSIZE"); h != "500" {
		t.Errorf("HISTSIZE after \\unset: %q, want 500", h)
	}
	if _, ok := v.Get("PROMPT1"); ok {
		t.Error("PROMPT1 is still set after \\unset")
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
