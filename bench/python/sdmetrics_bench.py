"""The reference side of bench/evaluate.ts: sdmetrics' single-table QualityReport on the bench's
CSV files (written by bench/evaluate.ts), timed apart from reading. Prints one JSON line.

  python sdmetrics_bench.py real.csv synthetic.csv metadata.json
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import pandas as pd  # noqa: E402


def read(path, columns):
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    out = {}
    for c in columns:
        name, sdtype = c["name"], c["sdtype"]
        s = df[name]
        if sdtype == "numerical":
            s = pd.to_numeric(s).astype("float64")
        elif sdtype == "datetime":
            s = pd.to_datetime(s, format="ISO8601", utc=True).dt.tz_localize(None)
        elif sdtype == "boolean":
            s = s.map({"true": True, "false": False}).astype("boolean")
        else:
            s = s.astype(object).where(s.notna(), None)
        out[name] = s
    return pd.DataFrame(out)


def main():
    from sdmetrics.reports.single_table import QualityReport

    real_path, synthetic_path, metadata_path = sys.argv[1:4]
    with open(metadata_path) as f:
        meta = json.load(f)
    t = time.perf_counter()
    real = read(real_path, meta["columns"])
    synthetic = read(synthetic_path, meta["columns"])
    read_s = time.perf_counter() - t
    metadata = {"columns": {c["name"]: {"sdtype": c["sdtype"]} for c in meta["columns"]}, "primary_key": meta["primary_key"]}
    t = time.perf_counter()
    report = QualityReport()
    report.generate(real, synthetic, metadata, verbose=False)
    report_s = time.perf_counter() - t
    props = report.get_properties().set_index("Property")["Score"].to_dict()
    shapes = report.get_details("Column Shapes")
    pairs = report.get_details("Column Pair Trends")

    def num(x):
        return None if pd.isna(x) else float(x)

    print(json.dumps({
        "readS": read_s,
        "reportS": report_s,
        "overall": num(report.get_score()),
        "columnShapes": num(props["Column Shapes"]),
        "columnPairTrends": num(props["Column Pair Trends"]),
        "shapes": {r.Column: num(r.Score) for r in shapes.itertuples()},
        "pairs": [{"column1": r[1], "column2": r[2], "score": num(r[4])} for r in pairs.itertuples()],
    }))


if __name__ == "__main__":
    main()
