//! Shared helpers for the cross-crate tests (see tests/tests/).
