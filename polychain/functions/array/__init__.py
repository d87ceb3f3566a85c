"""Array manipulation: shapes, joins and splits, indexing, padding, resampling and devices."""
