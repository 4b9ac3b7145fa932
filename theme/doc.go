// Package theme is how safesql looks: role-named Lip Gloss styles per tier
// and colour profile, and the prompt, frame, status line, colour swatch and
// terminal escape sequences (title, background tint) every front end shares.
//
// It decides nothing and writes nothing: no terminal detection beyond the
// colour profile, no config, no session state. Callers pass plain values
// (tier names as strings) and write the strings it returns; it imports only
// Lip Gloss and Lip Gloss's colour profiles.
package theme
