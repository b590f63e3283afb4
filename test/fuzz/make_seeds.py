#!/usr/bin/env python3
"""Writes the fuzzing seed corpus: every model the project's tests make, one file each.

  make_seeds.py OUTDIR

Sources: examples/digits/digits.onnx, every model of test/lit/Inputs/make_model.py, every case of
test/e2e/gen_models.py and the deliberately bad models of test/e2e/bad_inputs.py (unknown ops,
dynamic dims, odd element types: the error paths need seeds too). Models that keep weights in
external data are re-saved with the weights inline, since the fuzz target refuses external data.
Deterministic: the generators are seeded, so the same tree gives the same corpus.
Needs python3 with numpy and onnx; without them only digits.onnx is copied (exit 0, with a note)."""
import os
import shutil
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(os.path.join(ROOT, "examples", "digits", "digits.onnx"), os.path.join(out, "digits.onnx"))
    try:
        import onnx
    except ImportError:
        print("make_seeds: python onnx missing; only digits.onnx written", file=sys.stderr)
        return 0
    sys.path[:0] = [os.path.join(ROOT, "test", "lit", "Inputs"), os.path.join(ROOT, "test", "e2e")]
    import bad_inputs
    import gen_models
    import make_model

    count = 1

    def save(name, model):
        nonlocal count
        with open(os.path.join(out, name + ".onnx"), "wb") as f:
            f.write(model.SerializeToString())
        count += 1

    for name, build in make_model.MODELS.items():
        save("lit_" + name, build())
    with tempfile.TemporaryDirectory() as tmp:
        for entry in gen_models.generate(tmp):
            # load_external_data pulls NAME.data back in, so every seed is self-contained.
            model = onnx.load(os.path.join(tmp, entry["model"]), load_external_data=True)
            for t in model.graph.initializer:
                if t.data_location == onnx.TensorProto.EXTERNAL:
                    del t.external_data[:]
                    t.data_location = onnx.TensorProto.DEFAULT
            save("e2e_" + entry["name"], model)
    from onnx import TensorProto
    for name, model in [("unknown_ops", bad_inputs.unknown_ops_model()),
                        ("unsupported_std_ops", bad_inputs.unsupported_std_ops_model()),
                        ("custom_domain", bad_inputs.custom_domain_model()),
                        ("dynamic_dim", bad_inputs.dynamic_model("N")),
                        ("string_input", bad_inputs.elem_type_model(TensorProto.STRING))]:
        save("bad_" + name, model)
    print(f"make_seeds: {count} seeds in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
