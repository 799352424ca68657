"""Use cases: one function per action, taking Services and plain values, returning domain objects."""
