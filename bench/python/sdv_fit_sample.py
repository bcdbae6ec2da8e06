"""Fits one SDV synthesizer on one bench table, samples, and prints one JSON line with fit time,
sample time (for --rows rows, measured or extrapolated from --measure-rows), peak RSS of this
process, and the path of the first max(real rows, 10,000) synthetic rows (Parquet) for scoring.

  python sdv_fit_sample.py --columns DIR/adult.columns.json --synth gaussian_copula --out DIR
  python sdv_fit_sample.py --columns ... --synth ctgan --epochs 50 --measure-rows 100000
"""
import argparse
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")

from bench_common import load_frame, load_roles, peak_rss_mb, sdv_metadata_dict  # noqa: E402


def time_phases(synth):
    """Wraps SDV's preprocessing and CTGAN's per-column mode-specific normalisation (a Bayesian GMM
    per numeric column), so that the CTGAN training loop, which scales with epochs, can be told apart."""
    phases = {"preprocessS": 0.0, "transformerFitS": 0.0}

    def timed(key, fn):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                phases[key] += time.perf_counter() - t
        return wrapper

    synth.preprocess = timed("preprocessS", synth.preprocess)
    try:
        from ctgan.data_transformer import DataTransformer
        if not getattr(DataTransformer.fit, "_bench_timed", False):
            DataTransformer.fit = timed("transformerFitS", DataTransformer.fit)
            DataTransformer.fit._bench_timed = True
    except ImportError:
        pass
    return phases


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--columns", required=True)
    p.add_argument("--synth", choices=["gaussian_copula", "ctgan"], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--measure-rows", type=int, default=None, help="sample this many and extrapolate to --rows")
    p.add_argument("--epochs", type=int, default=300)
    p.add_argument("--report-epochs", type=int, default=None,
                   help="CTGAN: also report the fit time extrapolated to this many epochs (training scales linearly)")
    p.add_argument("--seed", type=int, default=20241122)
    args = p.parse_args()

    import numpy as np
    import torch
    from sdv.metadata import Metadata
    from sdv.single_table import CTGANSynthesizer, GaussianCopulaSynthesizer

    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    roles = load_roles(args.columns)
    real = load_frame(roles["real"], roles)
    metadata = Metadata.load_from_dict(sdv_metadata_dict(roles))

    if args.synth == "gaussian_copula":
        synth = GaussianCopulaSynthesizer(metadata)
        label = "SDV GaussianCopula"
    else:
        synth = CTGANSynthesizer(metadata, epochs=args.epochs, enable_gpu=False)
        label = f"SDV CTGAN ({args.epochs} epochs)"

    phases = time_phases(synth)
    t, c = time.perf_counter(), time.process_time()
    synth.fit({"table": real})  # SDV 2.x: one table name mapped to its frame
    fit_s, fit_cpu_s = time.perf_counter() - t, time.process_time() - c
    fixed_s = phases["preprocessS"] + phases["transformerFitS"]
    train_s = fit_s - fixed_s

    measure = args.measure_rows or args.rows
    t, c = time.perf_counter(), time.process_time()
    sampled = synth.sample(num_rows=measure)
    if isinstance(sampled, dict):
        sampled = sampled["table"]
    measured_s, measured_cpu_s = time.perf_counter() - t, time.process_time() - c
    sample_s = measured_s * args.rows / measure
    sample_cpu_s = measured_cpu_s * args.rows / measure

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"{roles['dataset']}__sdv-{args.synth}.parquet")
    # as on our side (bench/synth/run.ts scoreRowsFor): at least 10,000 rows are scored
    sampled.head(max(len(real), 10_000)).to_parquet(path, index=False)
    print(json.dumps({
        "dataset": roles["dataset"],
        "synthesizer": label,
        "realRows": len(real),
        "fitS": fit_s,
        "fitCpuS": fit_cpu_s,
        "sampleRows": args.rows,
        "sampleS": sample_s,
        "sampleCpuS": sample_cpu_s,
        "sampleExtrapolated": measure != args.rows,
        "measuredRows": measure,
        "measuredS": measured_s,
        "rowsPerS": args.rows / sample_s,
        "peakRssMb": peak_rss_mb(),
        "epochs": args.epochs if args.synth == "ctgan" else None,
        **phases,
        "trainS": train_s if args.synth == "ctgan" else None,
        "fitSAtReportEpochs": (fixed_s + train_s * args.report_epochs / args.epochs)
        if args.synth == "ctgan" and args.report_epochs else None,
        "reportEpochs": args.report_epochs,
        "torchThreads": torch.get_num_threads(),
        "syntheticPath": path,
    }))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
