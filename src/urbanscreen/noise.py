"""Binary floating-point noise never decides an answer.

Values and thresholds are written as decimals (4.8, 30) but computed in binary floats:
0.048 * 100 is 4.800000000000001 and the mean of 18.4, 46.3 and 25.3 is
29.999999999999996, not 30. Every comparison with a threshold or a tier's limit goes
through :func:`distance`, which counts values within a relative 1e-9 of the limit as equal
to it; published statistics carry nowhere near nine significant decimals, so any
difference a statistic can carry still decides.
"""

from __future__ import annotations

import numpy as np

RELATIVE_TOLERANCE = 1e-9


def distance(limits: float | np.ndarray, values: np.ndarray) -> np.ndarray:
    """``limits - values``: positive where a value lies below its limit, 0 where the two
    are equal up to noise, NaN where either is unknown. ``limits``: one number for every
    value, or one per value."""
    below: np.ndarray = np.subtract(limits, values)
    # One number when the limit is one: the only array as large as a column is the answer.
    tolerance = np.maximum(np.abs(limits), 1.0) * RELATIVE_TOLERANCE
    # |below| <= tolerance, as two comparisons of booleans rather than a column of |below|.
    noise = np.less_equal(below, tolerance)
    noise &= np.greater_equal(below, -tolerance)
    np.copyto(below, 0.0, where=noise)
    return below
