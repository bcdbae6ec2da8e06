"""Shared by the SDV and scoring scripts: read a bench table with the column roles our side wrote
(DIR/<dataset>.columns.json), so SDV, sdmetrics and our synthesizer see the same column semantics."""
import json
import resource

import pandas as pd

MODELLED = ("numerical", "categorical", "boolean", "datetime")


def load_roles(path):
    with open(path) as f:
        return json.load(f)


def load_frame(path, roles):
    """Reads CSV (optionally .gz) or Parquet and coerces every column to its role's dtype."""
    if path.endswith(".parquet"):
        df = pd.read_parquet(path)
    else:
        # keep_default_na=False + na_values=[""]: only an empty field is missing, as in our CSV reader
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    out = {}
    for role in roles["columns"]:
        name, sdtype = role["name"], role["sdtype"]
        if name not in df.columns:
            raise SystemExit(f"{path}: column {name!r} missing")
        s = df[name]
        if sdtype == "numerical":
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        elif sdtype == "datetime":
            if pd.api.types.is_datetime64_any_dtype(s):
                s = s.dt.tz_localize(None) if s.dt.tz is not None else s
            else:
                s = pd.to_datetime(s, format="mixed", utc=True).dt.tz_localize(None)
        elif sdtype == "boolean":
            if s.dtype != bool:
                s = s.map({"true": True, "false": False, True: True, False: False}).astype("boolean")
        else:
            s = s.astype(object).where(s.notna(), None)
            s = s.map(lambda v: v if v is None else str(v))
        out[name] = s
    return pd.DataFrame(out)


def sdv_metadata_dict(roles):
    """SDV 2.x (spec V2) single-table metadata: pii and free text become faked 'unknown' columns."""
    columns = {}
    for role in roles["columns"]:
        sdtype = role["sdtype"]
        if sdtype == "pii":
            columns[role["name"]] = {"sdtype": "unknown", "pii": True}
        else:
            columns[role["name"]] = {"sdtype": sdtype}
    return {"tables": {"table": {"columns": columns}}, "relationships": [], "METADATA_SPEC_VERSION": "V2"}


def scored_columns(roles):
    return [r["name"] for r in roles["columns"] if r["sdtype"] in MODELLED]


def sdmetrics_metadata(roles):
    return {"columns": {r["name"]: {"sdtype": r["sdtype"]} for r in roles["columns"] if r["sdtype"] in MODELLED}}


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
