"""The ``[prediction]`` table of a config: how the order-history models predict (SPEC §15, docs/methods.md §12)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Prediction(BaseModel):
    """BG/NBD and Gamma-Gamma with ``--orders``: the months predicted, the yearly discount rate of the CLV, and the
    P(alive) below which an A/B customer is marked at risk (预警)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    months: Annotated[
        int, Field(ge=1, le=120, description="expected purchases and CLV over the next N months")
    ] = 12
    discount_rate: Annotated[
        float, Field(ge=0, le=1, description="yearly rate the predicted CLV is discounted at (0.10 = 10%)")
    ] = 0.10
    at_risk_below: Annotated[
        float, Field(ge=0, le=1, description="an A/B customer whose P(alive) is below this is marked at risk")
    ] = 0.5
