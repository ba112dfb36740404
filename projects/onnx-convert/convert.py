"""Ferry's ONNX conversion job (MLproject entry point `main`): download a version's MLflow model folder,
convert and verify it (onnx_conversion), and write conversion.json (always) and model.onnx (when the check
passed) into the destination. Exit 0 on success, 1 on a refusal, so the job shows failed."""
import argparse
import json
import os
import sys
import tempfile

from onnx_conversion import convert, empty_report
import transfer


def log(line: str) -> None:
    print(line, flush=True)


def run(args: argparse.Namespace, tmp: str) -> dict:
    log(f"converting model {args.model} version {args.version} from {args.source}")
    try:
        model_dir = transfer.download_model(args.source, os.path.join(tmp, "model"))
    except Exception as e:
        return empty_report("load", f"The model's files could not be downloaded from {args.source}: {e}")
    sample = None
    if args.training_data:
        log(f"reading a sample of the training data {args.training_data}")
        try:
            sample = transfer.training_sample(args.training_data)
        except Exception as e:
            return empty_report("verify", f"The training data {args.training_data} could not be read: {e}")
        log(f"  {len(sample)} rows, columns {', '.join(map(str, sample.columns))}")
    data, report = convert(model_dir, sample, args.training_data or None, log=log)
    out = os.path.join(tmp, "out")
    os.makedirs(out)
    if data is not None:
        path = os.path.join(out, "model.onnx")
        with open(path, "wb") as f:
            f.write(data)
        try:
            transfer.upload(args.destination, path)
        except Exception as e:
            report.update(status="failed", step="upload", error=f"model.onnx could not be written to {args.destination}: {e}")
    return report


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    for name in ("model", "version", "source", "destination"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--training-data", default="")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = run(args, tmp)
        path = os.path.join(tmp, "conversion.json")
        with open(path, "w") as f:
            json.dump(report, f, indent=2)
        log(json.dumps(report, indent=2))
        try:
            transfer.upload(args.destination, path)
        except Exception as e:
            log(f"conversion.json could not be written to {args.destination}: {e}")
            return 1
    if report["status"] != "succeeded":
        log(f"refused at step '{report['step']}': {report['error']}")
        return 1
    log(f"converted: model.onnx ({report['onnx_bytes']} bytes) written to {args.destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
