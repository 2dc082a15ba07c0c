"""Indices computed from measures, and the tiers they classify areas into.

Sweden's socioeconomic area types, for one, take the mean of three shares per area
and band areas by how many standard deviations their index lies above the mean of
all areas. Tiers are tried in order; an area's tier is the first that holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from urbanscreen.criteria.model import Criteria, Index
from urbanscreen.messages import Few, Message, message
from urbanscreen.noise import distance
from urbanscreen.rules import combine


def index_values(values: pd.DataFrame, index: Index) -> pd.Series:
    """The index per area: the mean of its inputs, or their weighted sum; NaN if any is
    missing (an index of two of three shares is another index)."""
    inputs = values[index.inputs].astype("float64")
    if index.mean_of is not None:
        result = inputs.mean(axis=1, skipna=False)
    else:
        weights = pd.Series({name: float(w) for name, w in (index.weights or {}).items()})
        result = (inputs * weights).sum(axis=1, skipna=False)
    return pd.Series(np.asarray(result, dtype="float64"), index=values.index)


def classify(
    values: pd.DataFrame, criteria: Criteria
) -> tuple[dict[str, pd.Series], dict[str, pd.Series], dict[str, pd.Series], dict[str, Message]]:
    """Per index: its values, each area's tier id (None below every tier, or where the
    tier is unknown), per tier a nullable-boolean "in this tier or above" that rules may
    name, and a text with the mean, standard deviation (population) and limits.

    The mean and standard deviation follow the policy of every statistic of the data
    (:mod:`urbanscreen.references`): unknown when any area's index is, and then so is
    every limit computed from them. A limit is reached up to float noise
    (:mod:`urbanscreen.noise`): an index of 29.999999999999996 (the mean of 18.4, 46.3
    and 25.3) reaches 30.
    """
    indices: dict[str, pd.Series] = {}
    tiers: dict[str, pd.Series] = {}
    flags: dict[str, pd.Series] = {}
    texts: dict[str, Message] = {}
    for index in criteria.indices:
        score = index_values(values, index)
        indices[index.id] = score
        numbers = score.to_numpy(dtype="float64")
        known = ~np.isnan(numbers)
        complete = bool(known.all()) and len(numbers) > 0
        mean = float(numbers.mean()) if complete else float("nan")
        spread = float(numbers.std(ddof=0)) if complete else float("nan")
        tier = pd.Series([None] * len(score), index=score.index, dtype=object)
        limits: list[Message | str] = []
        below_all = pd.Series(pd.array(np.zeros(len(score), dtype=bool)), index=score.index)
        above = below_all  # "in an earlier tier", in three-valued logic
        for band in index.tiers:
            if band.at_least is not None:
                limit = float(band.at_least)
            elif band.sd is not None:
                limit = mean + float(band.sd) * spread
            else:
                limit = -np.inf  # the last tier takes every area left
            limits.append(_limit_text(band.id, limit, band.sd is not None))
            gap = distance(limit, numbers)
            reached = pd.Series(pd.arrays.BooleanArray(gap <= 0, np.isnan(gap)), index=score.index)
            if not np.isfinite(limit) and limit < 0:
                reached = pd.Series(pd.arrays.BooleanArray(known, ~known), index=score.index)
            # "this tier or a higher one": an area in an earlier tier is in it too.
            flag = combine([above, reached], 1)
            first = (flag.eq(True) & above.eq(False)).to_numpy(dtype=bool, na_value=False)
            tier[first] = band.id
            flags[band.id] = flag
            above = flag
        tiers[index.id] = tier
        said = {
            "index": index.id,
            "formula": message("index/mean" if index.mean_of is not None else "index/weighted-sum"),
            "inputs": ", ".join(index.inputs),
            "n": int(known.sum()),
            "tiers": Few(tuple(limits), limit=len(limits), separator=", "),
        }
        texts[index.id] = (
            message("index/known", **said, mean=f"{mean:.4g}", spread=f"{spread:.4g}")
            if complete
            else message("index/unknown", **said, lacking=int((~known).sum()))
        )
    return indices, tiers, flags, texts


def _limit_text(tier: str, limit: float, by_spread: bool) -> Message | str:
    if np.isnan(limit):
        return message("index/tier-from-unknown", tier=tier) if by_spread else tier
    return (
        message("index/tier-from", tier=tier, limit=f"{limit:.4g}") if np.isfinite(limit) else tier
    )
