// Package demo is the sandbox behind `safesql demo`: a private PostgreSQL
// cluster under the user's cache directory holding shop_dev, shop_staging
// and shop_prod, three copies of one realistic sample schema to try safesql
// on without a real database at risk. Starting and stopping a server belongs
// to internal/pgcluster and connecting to it to the session: this
// package only decides where the sandbox lives and what it holds.
//
// It imports only the cluster helper; the app starts it and connects to
// it like any other environment.
package demo
