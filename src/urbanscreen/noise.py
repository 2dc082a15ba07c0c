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


def distance(limits: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``limits - values``: positive where a value lies below its limit, 0 where the two
    are equal up to noise, NaN where either is unknown."""
    # In place on arrays of our own: three temporaries rather than six, each as large as
    # a column (24 MB at 3 000 000 areas).
    tolerance = np.abs(limits)
    np.maximum(tolerance, 1.0, out=tolerance)
    tolerance *= RELATIVE_TOLERANCE
    below: np.ndarray = np.subtract(limits, values)
    below[np.abs(below) <= tolerance] = 0.0
    return below
