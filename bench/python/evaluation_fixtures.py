"""Expected values for test/unit/evaluation-parity.test.ts, from the reference implementations
(sdmetrics 0.32 and scipy; versions in requirements.txt). Run by hand, not in CI:

  bench/python/.venv/bin/python bench/python/evaluation_fixtures.py --generate   # rewrite the CSVs
  bench/python/.venv/bin/python bench/python/evaluation_fixtures.py              # rewrite expected.json

--generate writes the small fixture tables under test/fixtures/evaluation/ (deterministic: seeded
numpy); without it the script only reads them. Both the CSVs and expected.json are committed.
CSV convention (as our readers): an empty field is missing; dates YYYY-MM-DD, timestamps ISO with Z.
"""
import json
import math
import sys
import warnings
from pathlib import Path

warnings.filterwarnings("ignore")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402
from scipy.spatial.distance import jensenshannon  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "test" / "fixtures" / "evaluation"

# Physical types (our Table model) and sdtypes (sdmetrics metadata) of the single-table fixture.
COLUMNS = [
    ("id", "string", "id"),
    ("age", "integer", "numerical"),
    ("income", "float", "numerical"),
    ("balance", "float", "numerical"),
    ("signup_date", "date", "datetime"),
    ("last_seen", "timestamp", "datetime"),
    ("city", "string", "categorical"),
    ("plan", "string", "categorical"),
    ("active", "boolean", "boolean"),
    ("notes", "string", "other"),
]
CITIES = ["Lisbon", "Porto", "Braga", "Faro", "Coimbra", "Aveiro"]
PLANS = ["free", "basic", "pro", "enterprise"]


def make_rows(rng, n, start_id, drift=0.0):
    age = rng.integers(18, 80, n).astype(float)
    income = np.round(12000 + age * 650 + rng.normal(0, 6000 + drift * 4000, n), 2)
    balance = np.round(rng.gamma(2.0, 800 + drift * 200, n) - 300, 2)
    signup = pd.Timestamp("2018-01-01") + pd.to_timedelta(rng.integers(0, 2400, n), unit="D")
    seen = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 90 * 86400, n), unit="s")
    city = rng.choice(CITIES, n, p=[0.35, 0.25, 0.15, 0.1, 0.1, 0.05])
    tier = np.clip(((income - 20000) / 14000 + rng.normal(0, 0.6 + drift, n)).astype(int), 0, 3)
    plan = np.array(PLANS)[tier]
    active = rng.random(n) < (0.4 + 0.1 * tier)
    df = pd.DataFrame({
        "id": [f"C{start_id + i:05d}" for i in range(n)],
        "age": age,
        "income": income,
        "balance": balance,
        "signup_date": signup.strftime("%Y-%m-%d"),
        "last_seen": seen.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "city": city,
        "plan": plan,
        "active": np.where(active, "true", "false"),
        "notes": [f"note {start_id + i} {rng.integers(0, 10**6)}" for i in range(n)],
    })
    # Missing values in a few columns.
    df.loc[rng.random(n) < 0.05, "age"] = np.nan
    df.loc[rng.random(n) < 0.08, "city"] = ""
    df.loc[rng.random(n) < 0.03, "active"] = ""
    df["age"] = df["age"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return df


def generate():
    rng = np.random.default_rng(20261123)
    real = make_rows(rng, 400, 0)
    holdout = make_rows(rng, 300, 10000)
    synthetic = make_rows(rng, 350, 20000, drift=0.5)
    # What a leaky or sloppy synthesizer does: copies of real rows (keys aside), values past the
    # real range, an unseen category, repeated keys, missing values where the real data has none.
    for i in range(12):
        src = real.iloc[i * 7].copy()
        src["id"] = synthetic.at[i, "id"]
        synthetic.iloc[i] = src
    synthetic.loc[20:24, "income"] = synthetic.loc[20:24, "income"].astype(float) * 3
    synthetic.loc[25:27, "balance"] = "-5000.5"
    synthetic.loc[28:30, "city"] = "Atlantis"
    synthetic.loc[31:33, "id"] = synthetic.at[30, "id"]
    synthetic.loc[34:36, "plan"] = ""
    synthetic.loc[37:39, "signup_date"] = "2030-06-01"
    FIX.mkdir(parents=True, exist_ok=True)
    for name, df in [("real", real), ("holdout", holdout), ("synthetic", synthetic)]:
        df.to_csv(FIX / f"{name}.csv", index=False)
    meta = {
        "columns": [{"name": n, "type": t, "sdtype": s} for n, t, s in COLUMNS],
        "primaryKey": "id",
    }
    (FIX / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")

    # Two tables: customers (parent) and orders (child).
    rel = FIX / "relational"
    for side, seed, n_parents, lam, orphans in [("real", 1, 120, 2.5, 0), ("synthetic", 2, 110, 2.0, 7)]:
        r = np.random.default_rng(seed)
        (rel / side).mkdir(parents=True, exist_ok=True)
        ids = [f"P{i:04d}" for i in range(n_parents)]
        segment = r.choice(["retail", "smb", "corp"], n_parents)
        pd.DataFrame({"customer_id": ids, "segment": segment}).to_csv(rel / side / "customers.csv", index=False)
        counts = r.poisson(lam * np.where(segment == "corp", 2, 1))
        fk = [ids[p] for p in range(n_parents) for _ in range(counts[p])]
        fk += [f"X{i:04d}" for i in range(orphans)]
        if side == "synthetic":
            fk += [""] * 3
        amounts = np.round(r.gamma(2, 40, len(fk)), 2)
        pd.DataFrame({"order_id": [f"O{i:05d}" for i in range(len(fk))], "customer_id": fk, "amount": amounts}).to_csv(
            rel / side / "orders.csv", index=False
        )
    (rel / "metadata.json").write_text(json.dumps({
        "tables": {
            "customers": {"primaryKey": "customer_id"},
            "orders": {"primaryKey": "order_id", "foreignKeys": [{"columns": "customer_id", "references": {"table": "customers"}}]},
        },
    }, indent=2) + "\n")
    (rel / "columns.json").write_text(json.dumps({
        "customers": {"customer_id": "string", "segment": "string"},
        "orders": {"order_id": "string", "customer_id": "string", "amount": "float"},
    }, indent=2) + "\n")


def load(name):
    """Reads a fixture as pandas would by default (so dtypes are pandas' own), dates parsed."""
    df = pd.read_csv(FIX / f"{name}.csv", keep_default_na=False, na_values=[""])
    for n, t, _ in COLUMNS:
        if t in ("date", "timestamp"):
            df[n] = pd.to_datetime(df[n], utc=True).dt.tz_localize(None).astype("datetime64[ns]")
        elif t == "string":
            df[n] = df[n].astype(object).where(df[n].notna(), None)
    return df


def num(x):
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def numeric(series):
    if pd.api.types.is_datetime64_any_dtype(series):
        out = series.astype("int64").astype(float)
        out[series.isna()] = np.nan
        return out.to_numpy()
    if series.dtype == object or str(series.dtype) == "boolean":
        return pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    return series.to_numpy(dtype=float)


def single_table():
    from sdmetrics.reports.single_table import DiagnosticReport, QualityReport
    from sdmetrics.single_table import DCROverfittingProtection, NewRowSynthesis

    real, synthetic, holdout = load("real"), load("synthetic"), load("holdout")
    metadata = {"columns": {n: {"sdtype": s} for n, _, s in COLUMNS}, "primary_key": "id"}

    quality = QualityReport()
    quality.generate(real, synthetic, metadata, verbose=False)
    props = quality.get_properties().set_index("Property")["Score"].to_dict()
    shapes = quality.get_details("Column Shapes")
    trends = quality.get_details("Column Pair Trends")

    diagnostic = DiagnosticReport()
    diagnostic.generate(real, synthetic, metadata, verbose=False)
    dprops = diagnostic.get_properties().set_index("Property")["Score"].to_dict()
    validity = diagnostic.get_details("Data Validity")

    nrs = NewRowSynthesis.compute_breakdown(real, synthetic, metadata)
    dcr = DCROverfittingProtection.compute_breakdown(real, synthetic, holdout, metadata, None)

    columns = []
    continuous = []
    for n, _, s in COLUMNS:
        if s in ("numerical", "datetime"):
            continuous.append(n)
            a = numeric(real[n])
            b = numeric(synthetic[n])
            a, b = a[~np.isnan(a)], b[~np.isnan(b)]
            ks = stats.ks_2samp(a, b)
            lo, hi = min(a.min(), b.min()), max(a.max(), b.max())
            ha, _ = np.histogram(a, bins=10, range=(lo, hi))
            hb, _ = np.histogram(b, bins=10, range=(lo, hi))
            columns.append({
                "column": n,
                "ksStatistic": num(ks.statistic),
                "ksPValue": num(ks.pvalue),
                "wassersteinNormalized": num(stats.wasserstein_distance(a, b) / (a.max() - a.min())),
                "jensenShannonDivergence": num(jensenshannon(ha, hb, base=2) ** 2),
            })
        elif s in ("categorical", "boolean"):
            ra = real[n].dropna().astype(str).value_counts()
            sb = synthetic[n].dropna().astype(str).value_counts()
            cats = sorted(set(ra.index) | set(sb.index))
            table = np.array([[ra.get(c, 0) for c in cats], [sb.get(c, 0) for c in cats]])
            chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
            columns.append({
                "column": n,
                "chi2Statistic": num(chi2),
                "chi2Dof": int(dof),
                "chi2PValue": num(p),
                "jensenShannonDivergence": num(jensenshannon(table[0], table[1], base=2) ** 2),
            })

    corr_real = pd.DataFrame({c: numeric(real[c]) for c in continuous}).corr()
    corr_synth = pd.DataFrame({c: numeric(synthetic[c]) for c in continuous}).corr()
    diff = (corr_synth - corr_real).to_numpy()
    iu = np.triu_indices(len(continuous), k=1)

    nndr = nndr_summary(real, synthetic, metadata)

    return {
        "quality": {
            "score": num(quality.get_score()),
            "columnShapes": num(props["Column Shapes"]),
            "columnPairTrends": num(props["Column Pair Trends"]),
            "shapes": [{"column": r.Column, "metric": r.Metric, "score": num(r.Score)} for r in shapes.itertuples()],
            "pairs": [
                {
                    "column1": r[1], "column2": r[2], "metric": r[3], "score": num(r[4]),
                    "realCorrelation": num(r[5]), "realAssociation": num(r[7]), "meetsThreshold": bool(r[8]) if r[8] == r[8] else None,
                }
                for r in trends.itertuples()
            ],
        },
        "diagnostics": {
            "score": num(diagnostic.get_score()),
            "dataValidity": num(dprops["Data Validity"]),
            "dataStructure": num(dprops["Data Structure"]),
            "validity": [{"column": str(r.Column), "metric": r.Metric, "score": num(r.Score)} for r in validity.itertuples()],
        },
        "statistics": columns,
        "correlation": {
            "columns": continuous,
            "meanAbsoluteDifference": num(np.nanmean(np.abs(diff[iu]))),
        },
        "privacy": {
            "newRowSynthesis": num(nrs["score"]),
            "matchedRows": int(nrs["num_matched_rows"]),
            "dcrOverfittingProtection": num(dcr["score"]),
            "closerToTraining": num(dcr["synthetic_data_percentages"]["closer_to_training"]),
            "nndr": nndr,
        },
    }


def gower_matrix(data, reference, metadata):
    """Brute-force Gower distances (sdmetrics' calculate_dcr per cell), data rows × reference rows."""
    total = np.zeros((len(data), len(reference)))
    cols = [c for c, m in metadata["columns"].items() if m["sdtype"] in ("numerical", "categorical", "boolean", "datetime")]
    for c in cols:
        sd = metadata["columns"][c]["sdtype"]
        if sd in ("numerical", "datetime"):
            a = numeric(data[c])[:, None]
            b = numeric(reference[c])[None, :]
            rng = np.nanmax(b) - np.nanmin(b)
            d = np.minimum(np.abs(a - b) / rng, 1.0) if rng != 0 else (np.abs(a - b) > 0).astype(float)
            na, nb = np.isnan(a), np.isnan(b)
            d = np.where(na ^ nb, 1.0, d)
            d = np.where(na & nb, 0.0, d)
        else:
            a = data[c].to_numpy(dtype=object)[:, None]
            b = reference[c].to_numpy(dtype=object)[None, :]
            na, nb = pd.isna(a), pd.isna(b)
            eq = (a == b) | (na & nb)
            d = (~eq).astype(float)
        total += d
    return total / len(cols)


def nndr_summary(real, synthetic, metadata):
    d = np.sort(gower_matrix(synthetic, real, metadata), axis=1)
    first, second = d[:, 0], d[:, 1]
    ratio = np.where(second > 0, first / np.where(second > 0, second, 1), 1.0)
    return {
        "p05": num(np.quantile(ratio, 0.05)),
        "p50": num(np.quantile(ratio, 0.5)),
        "mean": num(ratio.mean()),
        "dcrTrainingP50": num(np.quantile(first, 0.5)),
    }


def relational():
    from sdmetrics.column_pairs import ReferentialIntegrity
    from sdmetrics.multi_table import CardinalityShapeSimilarity

    rel = FIX / "relational"

    def read(side, table):
        return pd.read_csv(rel / side / f"{table}.csv", keep_default_na=False, na_values=[""])

    real = {t: read("real", t) for t in ("customers", "orders")}
    synthetic = {t: read("synthetic", t) for t in ("customers", "orders")}
    metadata = {
        "tables": {
            "customers": {"primary_key": "customer_id", "columns": {"customer_id": {"sdtype": "id"}, "segment": {"sdtype": "categorical"}}},
            "orders": {"primary_key": "order_id", "columns": {"order_id": {"sdtype": "id"}, "customer_id": {"sdtype": "id"}, "amount": {"sdtype": "numerical"}}},
        },
        "relationships": [{"parent_table_name": "customers", "parent_primary_key": "customer_id", "child_table_name": "orders", "child_foreign_key": "customer_id"}],
    }
    css = CardinalityShapeSimilarity.compute_breakdown(real, synthetic, metadata)
    ri = ReferentialIntegrity.compute(
        (real["customers"]["customer_id"], real["orders"]["customer_id"]),
        (synthetic["customers"]["customer_id"], synthetic["orders"]["customer_id"]),
    )
    return {
        "relationships": [{
            "parent": "customers", "child": "orders",
            "cardinalityShapeSimilarity": num(css[("customers", "orders")]["score"]),
            "referentialIntegrity": num(ri),
        }]
    }


def main():
    if "--generate" in sys.argv:
        generate()
    import sdmetrics
    import scipy

    out = {
        "generatedWith": {"sdmetrics": sdmetrics.__version__, "scipy": scipy.__version__, "pandas": pd.__version__, "numpy": np.__version__},
        "singleTable": single_table(),
        "relational": relational(),
    }
    (FIX / "expected.json").write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {FIX / 'expected.json'}")


if __name__ == "__main__":
    main()
