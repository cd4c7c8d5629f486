"""Make lifetimes_reference.csv: lifetimes 0.11.3's BG/NBD on the CDNOW sample (39-week calibration), per customer.

Run once, in an environment with lifetimes installed (it is not a kactier dependency):
    python tests/data/cdnow/make_reference.py
"""

from pathlib import Path

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

HERE = Path(__file__).parent
tx = pd.read_csv(
    HERE / "CDNOW_sample.txt",
    sep=r"\s+",
    header=None,
    names=["master", "id", "date", "cds", "amount"],
    dtype={"id": str, "date": str},
)
tx["date"] = pd.to_datetime(tx["date"], format="%Y%m%d")
calibration = tx[tx["date"] <= "1997-09-30"]
summary = summary_data_from_transaction_data(
    calibration, "id", "date", monetary_value_col="amount", observation_period_end="1997-09-30", freq="D"
)
summary["recency"] /= 7  # weeks, as the paper counts time
summary["T"] /= 7
bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
summary["p_alive"] = bgf.conditional_probability_alive(summary["frequency"], summary["recency"], summary["T"])
summary["expected_52_weeks"] = bgf.conditional_expected_number_of_purchases_up_to_time(
    52, summary["frequency"], summary["recency"], summary["T"]
)
repeat = summary[summary["frequency"] > 0]
ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
summary["expected_spend"] = ggf.conditional_expected_average_profit(
    summary["frequency"], summary["monetary_value"]
)
summary.loc[summary["frequency"] == 0, "expected_spend"] = float("nan")
summary.round(10).to_csv(HERE / "lifetimes_reference.csv", index_label="id")
print(bgf.params_.to_dict(), ggf.params_.to_dict())
