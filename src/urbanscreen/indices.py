"""Indices computed from measures, and the tiers they classify areas into.

Sweden's socioeconomic area types, for one, take the mean of three shares per area
and band areas by how many standard deviations their index lies above the mean of
all areas. Tiers are tried in order; an area's tier is the first that holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from urbanscreen.criteria import Criteria, Index


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
) -> tuple[dict[str, pd.Series], dict[str, pd.Series], dict[str, pd.Series], dict[str, str]]:
    """Per index: its values, each area's tier id (None below every tier), per tier a
    nullable-boolean "in this tier or above" that rules may name, and a text with the mean,
    standard deviation (population, over the areas with an index) and limits."""
    indices: dict[str, pd.Series] = {}
    tiers: dict[str, pd.Series] = {}
    flags: dict[str, pd.Series] = {}
    texts: dict[str, str] = {}
    for index in criteria.indices:
        score = index_values(values, index)
        indices[index.id] = score
        mean, spread = float(score.mean()), float(score.std(ddof=0))
        tier = pd.Series([None] * len(score), index=score.index, dtype=object)
        known = score.notna().to_numpy()
        limits = []
        reached_any = np.zeros(len(score), dtype=bool)
        for band in index.tiers:
            if band.at_least is not None:
                limit = float(band.at_least)
            elif band.sd is not None:
                limit = mean + float(band.sd) * spread
            else:
                limit = -np.inf  # the last tier takes every area left
            limits.append(f"{band.id} from {limit:.4g}" if np.isfinite(limit) else band.id)
            reached = known & (score.to_numpy() >= limit)
            tier[reached & tier.isna().to_numpy()] = band.id
            # "this tier or a higher one": an area in an earlier tier is in it too.
            reached_any |= reached
            flag = pd.Series(pd.array(reached_any.copy(), dtype="boolean"), index=score.index)
            flag[~known] = pd.NA
            flags[band.id] = flag
        tiers[index.id] = tier
        formula = "mean" if index.mean_of is not None else "weighted sum"
        texts[index.id] = (
            f"{index.id} = {formula} of {', '.join(index.inputs)}; over {int(known.sum())} areas "
            f"mean {mean:.4g}, standard deviation {spread:.4g}; tiers: {', '.join(limits)}"
        )
    return indices, tiers, flags, texts
