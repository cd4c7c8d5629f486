"""Who is still buying, and what they are worth: BG/NBD and Gamma-Gamma fitted on the order history (SPEC §15).

The models are those of Fader, Hardie & Lee, "Counting your customers the easy way: an alternative to the
Pareto/NBD model" (Marketing Science 24(2), 2005) and "RFM and CLV: using iso-value curves for customer base
analysis" (Journal of Marketing Research 42(4), 2005), fitted by maximum likelihood with scipy on their closed-form
log-likelihoods. Per customer, from the history up to the as-of date:

- ``x``: repeat purchases, the distinct purchase days after the first (a purchase is a line of amount ≥ 0);
- ``t_x``: weeks from the first purchase day to the last; ``T``: weeks from the first purchase day to the as-of date;
- ``m``: the mean spend of the repeat purchase days (the day's amounts summed), for Gamma-Gamma.

BG/NBD gives P(alive) and the expected purchases in the next ``months``; Gamma-Gamma (fitted on the customers with
a repeat purchase and a positive mean spend) their expected spend per purchase (for a customer without a repeat
purchase, the population's mean, p·γ/(q−1)); the predicted CLV is their product month by month, discounted at ``discount_rate`` a year. Data too thin to fit (fewer than
:data:`MIN_REPEAT_CUSTOMERS` customers with a repeat purchase) or a fit that does not converge leaves the columns
blank with a note saying why: never an invented number. scipy is imported only when a model is fitted.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..i18n import Note

NDArray = np.ndarray[Any, Any]
PREDICTED_FIELDS = ("p_alive", "expected_orders", "predicted_clv")  # the customer fields the models give
MIN_REPEAT_CUSTOMERS = 100  # below this, the four BG/NBD parameters are not identified well enough to use
WEEK_DAYS = 7.0
MONTH_WEEKS = 365.25 / 12 / WEEK_DAYS
_START = np.zeros(4)  # log-parameters the fits start from: every parameter 1
_MAX_LOG = 25.0  # a parameter beyond e^±25 is a fit running away, not an estimate


@dataclass(frozen=True, slots=True)
class BgNbd:
    """Fitted BG/NBD parameters (time in weeks): purchase rate Gamma(r, α), dropout Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float

    def p_alive(self, x: NDArray, t_x: NDArray, T: NDArray) -> NDArray:
        """P(alive | x, t_x, T) (Fader, Hardie & Lee 2008 note, eq. 2): 1 for a customer without repeats."""
        from scipy.special import expit

        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        repeat = x > 0
        safe = np.where(repeat, b + x - 1, 1.0)
        odds = np.log(a) - np.log(safe) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
        alive: NDArray = np.where(repeat, expit(-odds), 1.0)
        return alive

    def expected(self, t: float, x: NDArray, t_x: NDArray, T: NDArray) -> NDArray:
        """E[purchases in the next ``t`` weeks | x, t_x, T] (FHL 2005, eq. 10)."""
        return self._head(t, x, T) * self.p_alive(x, t_x, T)

    def expected_by_month(self, months: int, x: NDArray, t_x: NDArray, T: NDArray) -> list[NDArray]:
        """:meth:`expected` over the next 1, 2, … ``months`` months, the months computed side by side on the
        cores (scipy's ``hyp2f1``, most of the cost, releases the GIL) and each distinct (x, T) once."""
        pairs, where = np.unique(np.column_stack([x, T]), axis=0, return_inverse=True)
        alive = self.p_alive(x, t_x, T)
        where = where.reshape(-1)

        def month(number: int) -> NDArray:
            heads: NDArray = self._head(number * MONTH_WEEKS, pairs[:, 0], pairs[:, 1])[where] * alive
            return heads

        with ThreadPoolExecutor(max(1, min(months, os.cpu_count() or 1)), "kactier-clv") as pool:
            return list(pool.map(month, range(1, months + 1)))

    def _head(self, t: float, x: NDArray, T: NDArray) -> NDArray:
        """FHL 2005 eq. 10 without its P(alive) factor: it depends on x and T only."""
        from scipy.special import hyp2f1

        r, alpha, a, b = self.r, self.alpha, self.a, self.b
        later = (alpha + T) / (alpha + T + t)
        head: NDArray = (
            (a + b + x - 1)
            / (a - 1)
            * (1 - later ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t)))
        )
        return head


@dataclass(frozen=True, slots=True)
class GammaGamma:
    """Fitted Gamma-Gamma parameters of spend per purchase: p, q, γ (v)."""

    p: float
    q: float
    v: float

    def spend(self, x: NDArray, m: NDArray) -> NDArray:
        """E[spend per purchase | x repeat purchases of mean spend m] (FHL 2005b, eq. 5)."""
        return self.p * (self.v + x * m) / (self.p * x + self.q - 1)


def bg_nbd_nll(
    log_params: NDArray, counts: NDArray, which: NDArray, t_x: NDArray, T: NDArray, weight: NDArray
) -> tuple[float, NDArray]:
    """The BG/NBD negative log-likelihood (FHL 2005, eq. 6) of customers ``(x, t_x, T)``, each ``weight`` times,
    and its gradient in the log-parameters (from the digamma function ψ: d lnΓ(z)/dz = ψ(z)). ``x`` is given as
    its distinct values ``counts`` and the index ``which`` of each customer's: what depends on ``x`` alone is
    computed once per value."""
    from scipy.special import betaln, digamma, gammaln

    r, alpha, a, b = np.exp(log_params)
    log_alpha = float(log_params[1])  # not log(alpha): a step may take alpha to 0.0, whose log is an error
    repeat = counts > 0
    safe = np.where(repeat, b + counts - 1, 1.0)
    base = betaln(a, b)
    psi_ab, psi_abx = digamma(a + b), digamma(a + b + counts)
    base_a, base_b = digamma(a) - psi_ab, digamma(b) - psi_ab  # d betaln(a, b) / da, db
    by_count = {  # per distinct x
        "first": gammaln(r + counts) - gammaln(r) + r * log_alpha,
        "alive": betaln(a, b + counts) - base,
        "dropped": np.where(repeat, betaln(a + 1, safe) - base, -np.inf),
        "d_r": digamma(r + counts) - digamma(r) + log_alpha,
        "alive_a": psi_ab - psi_abx,
        "dropped_a": digamma(a + 1) - psi_abx - base_a,
        "alive_b": digamma(b + counts) - psi_abx - base_b,
        "dropped_b": digamma(safe) - psi_abx - base_b,
    }
    each = {name: values[which] for name, values in by_count.items()}
    x = counts[which]
    repeats = x > 0
    last = np.where(repeats, t_x, T)  # without a repeat purchase the dropout term is nothing (and t_x is 0)
    at_end, at_last = np.log(alpha + T), np.log(alpha + last)
    alive = each["alive"] - (r + x) * at_end
    dropped = np.where(repeats, each["dropped"] - (r + x) * at_last, -np.inf)
    both = np.logaddexp(alive, dropped)
    on_alive, on_dropped = np.exp(alive - both), np.exp(dropped - both)  # each term's share of the sum
    d_r = each["d_r"] - on_alive * at_end - on_dropped * at_last
    d_a = on_alive * each["alive_a"] + on_dropped * each["dropped_a"]
    d_b = on_alive * each["alive_b"] + on_dropped * each["dropped_b"]
    # d/d log p = p d/dp (alpha's written so: alpha d/d alpha of r log alpha is r, with no 0 × ∞ at alpha = 0)
    log_d_alpha = r - alpha * (r + x) * (on_alive / (alpha + T) + on_dropped / (alpha + last))
    gradient = [r * d_r, log_d_alpha, a * d_a, b * d_b]
    return float(-(weight * (each["first"] + both)).sum()), -np.array([(weight * g).sum() for g in gradient])


def gamma_gamma_nll(
    log_params: NDArray, counts: NDArray, which: NDArray, m: NDArray, weight: NDArray
) -> tuple[float, NDArray]:
    """The Gamma-Gamma negative log-likelihood (FHL 2005b) of repeat customers (x > 0, m > 0), and its gradient
    in the log-parameters; ``x`` given as for :func:`bg_nbd_nll`."""
    from scipy.special import digamma, gammaln

    p, q, v = np.exp(log_params)
    log_v = float(log_params[2])  # as log_alpha in bg_nbd_nll
    pc = p * counts
    first = (gammaln(pc + q) - gammaln(pc) - gammaln(q) + q * log_v + pc * np.log(counts))[which]
    psi = digamma(pc + q)
    d_p_first = (counts * (psi - digamma(pc) + np.log(counts)))[which]
    psi = psi[which]
    x = counts[which]
    px = p * x
    spent, log_m = np.log(x * m + v), np.log(m)
    ll = first + (px - 1) * log_m - (px + q) * spent
    d_p = d_p_first + x * (log_m - spent)
    d_q = psi - digamma(q) + log_v - spent
    log_d_v = q - v * (px + q) / (x * m + v)  # v d/dv, as alpha's in bg_nbd_nll
    gradient = [p * d_p, q * d_q, log_d_v]
    return float(-(weight * ll).sum()), -np.array([(weight * g).sum() for g in gradient])


def fit_bg_nbd(x: NDArray, t_x: NDArray, T: NDArray) -> BgNbd | None:
    """The maximum-likelihood BG/NBD parameters, or None when the fit does not converge."""
    (xs, t_xs, Ts), weight = _grouped(x, t_x, T)
    counts, which = np.unique(xs, return_inverse=True)
    found = _minimised(bg_nbd_nll, _START, (counts, which, t_xs, Ts, weight))
    return BgNbd(*found) if found is not None else None


def fit_gamma_gamma(x: NDArray, m: NDArray) -> GammaGamma | None:
    """The maximum-likelihood Gamma-Gamma parameters, or None when the fit does not converge (or q ≤ 1, where
    the expected spend is not defined)."""
    (xs, ms), weight = _grouped(x, m)
    counts, which = np.unique(xs, return_inverse=True)
    found = _minimised(gamma_gamma_nll, _START[:3], (counts, which, ms, weight))
    if found is None or found[1] <= 1:
        return None
    return GammaGamma(*found)


def _grouped(*columns: NDArray) -> tuple[list[NDArray], NDArray]:
    """The distinct rows of ``columns`` and how many customers each stands for (the likelihood's weights)."""
    stacked = np.column_stack(columns)
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return [unique[:, i] for i in range(unique.shape[1])], counts.astype(float)


def _minimised(nll: Any, start: NDArray, data: tuple[NDArray, ...]) -> tuple[float, ...] | None:
    """exp of the log-parameters minimising ``nll`` (which gives its value and gradient: L-BFGS-B; Nelder-Mead on
    the value alone where that does not converge), or None when neither converges or the estimate runs away."""
    from scipy.optimize import minimize

    with np.errstate(all="ignore"):
        # within e^±50 (a fit beyond e^±25 is refused anyway): no step overflows or underflows a parameter
        bounds = [(-2 * _MAX_LOG, 2 * _MAX_LOG)] * len(start)
        found = minimize(
            nll, start, args=data, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 1000}
        )
        if not found.success:
            found = minimize(
                lambda at, *given: nll(at, *given)[0],
                found.x,
                args=data,
                method="Nelder-Mead",
                options={"maxiter": 5000},
            )
    if not found.success or not np.isfinite(found.fun) or np.any(np.abs(found.x) > _MAX_LOG):
        return None
    return tuple(float(v) for v in np.exp(found.x))


@dataclass(frozen=True, slots=True)
class Purchases:
    """Each customer's purchase history: repeat purchases ``x`` (NaN: never bought), weeks ``t_x`` to the last and
    ``T`` to the as-of date from the first, and the mean spend ``m`` of the repeat purchases (0 without)."""

    x: NDArray
    t_x: NDArray
    T: NDArray
    m: NDArray

    def where(self, chosen: NDArray) -> Purchases:
        """The customers ``chosen`` (a boolean mask)."""
        return Purchases(self.x[chosen], self.t_x[chosen], self.T[chosen], self.m[chosen])


@dataclass(frozen=True, slots=True)
class Predicted:
    """The per-customer predictions (NaN where none is made) and the notes saying how they were made or why not."""

    p_alive: NDArray
    expected_orders: NDArray
    predicted_clv: NDArray
    notes: list[str]


def predict(history: Purchases, months: int, discount_rate: float) -> Predicted:
    """Fit both models on the customers of ``history`` (a customer who never bought gets no prediction) and
    predict P(alive), the purchases in the next ``months`` and the CLV discounted at ``discount_rate`` a year."""
    blank = np.full(len(history.x), np.nan)
    known = ~np.isnan(history.x)
    seen = history.where(known)
    repeaters = int((seen.x > 0).sum())
    if repeaters < MIN_REPEAT_CUSTOMERS:
        note = Note("note.clv_thin", repeaters=repeaters, needed=MIN_REPEAT_CUSTOMERS)
        return Predicted(blank, blank, blank, [note])
    model = fit_bg_nbd(seen.x, seen.t_x, seen.T)
    if model is None:
        return Predicted(blank, blank, blank, [Note("note.clv_no_fit", model="BG/NBD")])
    alive, orders, clv = blank.copy(), blank.copy(), blank.copy()
    with np.errstate(all="ignore"):
        alive[known] = model.p_alive(seen.x, seen.t_x, seen.T)
        by_month = model.expected_by_month(months, seen.x, seen.t_x, seen.T)
        orders[known] = by_month[-1]
    notes: list[str] = [
        Note("note.clv_fit", r=model.r, alpha=model.alpha, a=model.a, b=model.b, months=months)
    ]
    fitted = known & (history.x > 0) & (history.m > 0)  # Gamma-Gamma learns from the repeat spend
    spenders = history.where(fitted)
    spend_model = fit_gamma_gamma(spenders.x, spenders.m) if fitted.sum() >= MIN_REPEAT_CUSTOMERS else None
    if spend_model is None:
        notes.append(Note("note.clv_no_fit", model="Gamma-Gamma"))
        return Predicted(alive, orders, clv, notes)
    with np.errstate(
        all="ignore"
    ):  # a customer without a repeat purchase: the population's mean spend, p·γ/(q−1)
        clv[known] = discounted_value(by_month, spend_model, seen, discount_rate)
    notes.append(
        Note("note.clv_spend", p=spend_model.p, q=spend_model.q, v=spend_model.v, rate=discount_rate)
    )
    return Predicted(alive, orders, clv, notes)


def discounted_value(by_month: list[NDArray], spend: GammaGamma, history: Purchases, rate: float) -> NDArray:
    """Σ over the months of ``by_month`` (the expected purchases up to the end of month 1, 2, …) of the month's
    expected purchases × the expected spend, each month discounted at ``rate`` a year (monthly rate
    (1 + rate)^(1/12) − 1), as lifetimes' ``customer_lifetime_value`` sums it."""
    monthly = (1 + rate) ** (1 / 12) - 1
    per_purchase = spend.spend(history.x, history.m)
    total = np.zeros(len(history.x))
    before = np.zeros(len(history.x))
    for month, upto in enumerate(by_month, start=1):
        total += per_purchase * (upto - before) / (1 + monthly) ** month
        before = upto
    return total
