//! Nothing to use: this crate only names dependencies with the features every nnlab command must
//! agree on (see its Cargo.toml), so that faer and its dependencies compile once.
