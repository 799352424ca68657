"""Benchmarks (``shopbot bench``) and the bulk data seeding they run on. A tool beside the product: nothing in
domain/, storage/, handlers/ or jobs/ imports it."""
