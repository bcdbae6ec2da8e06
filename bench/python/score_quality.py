"""Scores synthetic tables against their real sample with the reference implementation, the
sdmetrics single-table QualityReport (overall score, Column Shapes, Column Pair Trends), on the
columns both sides model (the roles in <dataset>.columns.json; ids, personal data and free text are
generated, not modelled, and left out). Input: a JSON list of jobs
{dataset, synthesizer, columns, synthetic}; output: one JSON line per job.

  python score_quality.py jobs.json
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")

from bench_common import load_frame, load_roles, scored_columns, sdmetrics_metadata  # noqa: E402


def main():
    from sdmetrics.reports.single_table import QualityReport

    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    reals = {}
    for job in jobs:
        roles = load_roles(job["columns"])
        cols = scored_columns(roles)
        if job["columns"] not in reals:
            reals[job["columns"]] = load_frame(roles["real"], roles)[cols]
        real = reals[job["columns"]]
        synthetic = load_frame(job["synthetic"], roles)[cols]
        t = time.perf_counter()
        report = QualityReport()
        report.generate(real, synthetic, sdmetrics_metadata(roles), verbose=False)
        props = report.get_properties().set_index("Property")["Score"].to_dict()
        print(json.dumps({
            "dataset": job["dataset"],
            "synthesizer": job["synthesizer"],
            "syntheticRows": len(synthetic),
            "scoredColumns": len(cols),
            "overall": report.get_score(),
            "columnShapes": props.get("Column Shapes"),
            "columnPairTrends": props.get("Column Pair Trends"),
            "scoreS": time.perf_counter() - t,
        }))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
