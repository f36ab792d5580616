// Replaced by the calibration sources.
