"""Loading a version's MLflow model folder: its flavor, the model object, the signature and the input example.
A model that needs Python code this process cannot import is refused here, naming the class and, for a
pickled sklearn model, where in the estimator it sits (read with stand-in classes, never executed)."""
import os
import pickle
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

import skops_schema
from estimators import unsupported
from refusal import Refusal

FLAVORS = ("sklearn", "xgboost", "lightgbm")


@dataclass
class Loaded:
    flavor: str
    model: Any
    signature: Any  # mlflow.models.ModelSignature or None
    example: Any  # DataFrame, ndarray or None


def _flavor(mlmodel: Any) -> str:
    found = [f for f in FLAVORS if f in mlmodel.flavors]
    if not found:
        have = ", ".join(sorted(mlmodel.flavors)) or "none"
        raise Refusal("load", f"The model has no sklearn, xgboost or lightgbm flavor (flavors: {have}); Ferry converts only those.")
    return found[0]


class _StubUnpickler(pickle.Unpickler):
    """Unpickles with an empty stand-in for each class that cannot be imported, remembering which."""

    def __init__(self, f: Any):
        super().__init__(f)
        self.missing: List[str] = []

    def find_class(self, module: str, name: str) -> Any:
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            self.missing.append(f"{module}.{name}")
            return type(name, (), {"__module__": module})


def _missing_code(model_dir: str, mlmodel: Any) -> Tuple[List[str], List[Tuple[str, str]]]:
    conf = mlmodel.flavors.get("sklearn", {})
    path = os.path.join(model_dir, conf.get("pickled_model", "model.pkl"))
    if not os.path.exists(path):
        return [], []
    if conf.get("serialization_format") == "skops":
        try:
            found = skops_schema.missing_classes(path)
        except Exception:
            return [], []
        return [q for q, _ in found], found
    try:
        with open(path, "rb") as f:
            up = _StubUnpickler(f)
            obj = up.load()
    except Exception:
        return [], []
    return up.missing, unsupported(obj)


def load(model_dir: str) -> Loaded:
    from mlflow.models import Model

    try:
        mlmodel = Model.load(model_dir)
    except Exception as e:
        raise Refusal("load", f"The model folder has no readable MLmodel file ({e}).") from e
    flavor = _flavor(mlmodel)
    loader = {"sklearn": "mlflow.sklearn", "xgboost": "mlflow.xgboost", "lightgbm": "mlflow.lightgbm"}[flavor]
    try:
        module = __import__(loader, fromlist=["load_model"])
        model = module.load_model(model_dir)
    except (ImportError, AttributeError) as e:
        missing, parts = _missing_code(model_dir, mlmodel) if flavor == "sklearn" else ([], [])
        if missing:
            where = next((w for q, w in parts if q in missing and w), None)
            at = f" ({where})" if where else ""
            raise Refusal(
                "load",
                f"The {flavor} model needs the custom class `{missing[0]}`{at}, which the conversion job cannot import "
                "and skl2onnx has no converter for: write a converter or log the model with mlflow.onnx.",
            ) from e
        raise Refusal("load", f"The {flavor} model could not be loaded: {e}.") from e
    except Exception as e:
        raise Refusal("load", f"The {flavor} model could not be loaded: {type(e).__name__}: {e}.") from e
    example: Optional[Any] = None
    try:
        example = mlmodel.load_input_example(model_dir)
    except Exception:
        example = None  # the check then runs on the training sample alone
    return Loaded(flavor, model, mlmodel.signature, example)
