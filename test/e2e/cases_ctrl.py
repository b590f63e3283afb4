"""Control flow with subgraphs: If, Loop and Scan, which onnxc expands into straight-line code
(constant conditions inline a branch, run-time ones select with Where; loops and scans unroll)."""
import numpy as np
from onnx import TensorProto, helper

from e2e_case import F32, I64, N, U, case, spec


def G(nodes, ins, outs, name="body"):
    """A subgraph; inputs are (name, elem_type[, shape]) tuples, outputs are left untyped as
    exporters of function bodies do."""
    return helper.make_graph(nodes, name,
                             [helper.make_tensor_value_info(i[0], i[1], i[2] if len(i) > 2 else None)
                              for i in ins],
                             [helper.make_tensor_value_info(o, TensorProto.UNDEFINED, None)
                              for o in outs])


FLOAT, INT64, BOOL = TensorProto.FLOAT, TensorProto.INT64, TensorProto.BOOL


@case
def if_runtime_cond_outer_scope(r):  # both branches read outer x and w; Where selects
    then_g = G([N("Mul", ["x", "w"], ["t"])], [], ["t"], "then")
    else_g = G([N("Sub", ["x", "w"], ["e"])], [], ["e"], "else")
    return spec(13, [N("If", ["c"], then_branch=then_g, else_branch=else_g)],
                {"c": np.array(False), "x": U(r, 3, 4), "w": U(r, 4)})


@case
def if_constant_cond_branch_shapes_differ(r):  # then gives 2x6, else 3x4: only the taken one
    # is refined; the flat Reshape gives the graph output a shape onnx's inference knows
    then_g = G([N("Reshape", ["x", "s"], ["t"])], [], ["t"], "then")
    else_g = G([N("Identity", ["x"], ["e"])], [], ["e"], "else")
    return spec(13, [N("If", ["c"], ["i"], then_branch=then_g, else_branch=else_g),
                     N("Neg", ["i"], ["n"]), N("Reshape", ["n", "flat"])],
                {"x": U(r, 3, 4)}, {"c": np.array(True), "s": I64(2, 6), "flat": I64(12)})


@case
def loop_carried_state_and_scan_output(r):  # y += x * i for i < 4; every y is stacked
    body = G([N("Cast", ["i"], ["fi"], to=FLOAT), N("Mul", ["x", "fi"], ["d"]),
              N("Add", ["y_in", "d"], ["y_out"]), N("Identity", ["y_out"], ["scan"]),
              N("Identity", ["c_in"], ["c_out"])],
             [("i", INT64, []), ("c_in", BOOL, []), ("y_in", FLOAT, [2, 3])], ["c_out", "y_out", "scan"])
    # onnx's shape inference leaves Loop outputs unsized; constant Reshapes size them
    return spec(13, [N("Loop", ["m", "", "y0"], ["ly", "lys"], body=body),
                     N("Reshape", ["ly", "s_y"], ["y"]), N("Reshape", ["lys", "s_ys"], ["ys"])],
                {"x": U(r, 2, 3), "y0": U(r, 2, 3)},
                {"m": I64(4), "s_y": I64(2, 3), "s_ys": I64(4, 2, 3)}, outs=("y", "ys"))


@case
def loop_runtime_condition_masks_state(r):  # doubles y while its sum stays below 10
    body = G([N("Add", ["y_in", "y_in"], ["y_out"]), N("ReduceSum", ["y_out"], ["s"], keepdims=0),
              N("Less", ["s", "limit"], ["c_out"])],
             [("i", INT64, []), ("c_in", BOOL, []), ("y_in", FLOAT, [4])], ["c_out", "y_out"])
    return spec(13, [N("Loop", ["m", "c", "y0"], ["ly"], body=body), N("Reshape", ["ly", "flat"])],
                {"c": np.array(True), "y0": U(r, 4, lo=0.1, hi=0.5)},
                {"m": I64(6), "limit": np.array(10.0, F32), "flat": I64(4)})


@case
def loop_growing_state_with_nested_if(r):  # the carried tensor grows each iteration; an If
    # on the iteration number picks what is appended
    then_g = G([N("Identity", ["x"], ["t"])], [], ["t"], "then")
    else_g = G([N("Neg", ["x"], ["e"])], [], ["e"], "else")
    body = G([N("Mod", ["i", "two"], ["odd"]), N("Cast", ["odd"], ["oddb"], to=BOOL),
              N("If", ["oddb"], ["piece"], then_branch=then_g, else_branch=else_g),
              N("Concat", ["y_in", "piece"], ["y_out"], axis=0), N("Identity", ["c_in"], ["c_out"])],
             [("i", INT64, []), ("c_in", BOOL, []), ("y_in", FLOAT, None)], ["c_out", "y_out"])
    return spec(13, [N("Loop", ["m", "", "y0"], ["g"], body=body), N("Reshape", ["g", "flat"])],
                {"x": U(r, 1, 3), "y0": U(r, 1, 3)}, {"m": I64(3), "two": I64(2), "flat": I64(12)})


@case
def scan9_axes_and_directions(r):  # scan x along axis 1 backwards; stack outputs on axis 1
    body = G([N("Add", ["s_in", "a"], ["s_out"]), N("Mul", ["s_out", "b"], ["o"])],
             [("s_in", FLOAT, [2]), ("a", FLOAT, [2]), ("b", FLOAT, [2])], ["s_out", "o"])
    return spec(11, [N("Scan", ["s0", "x", "z"], ["s", "ys"], body=body, num_scan_inputs=2,
                       scan_input_axes=[1, 0], scan_input_directions=[1, 0],
                       scan_output_axes=[-1], scan_output_directions=[1])],
                {"s0": U(r, 2), "x": U(r, 2, 5), "z": U(r, 5, 2)}, outs=("s", "ys"))


@case
def scan8_batched(r):  # opset 8: a batch axis leads every state and scan input
    body = G([N("Add", ["s_in", "a"], ["s_out"]), N("Identity", ["s_out"], ["o"])],
             [("s_in", FLOAT, [3]), ("a", FLOAT, [3])], ["s_out", "o"])
    return spec(8, [N("Scan", ["", "s0", "x"], ["s", "ys"], body=body, num_scan_inputs=1,
                       directions=[1])],
                {"s0": U(r, 2, 3), "x": U(r, 2, 4, 3)}, outs=("s", "ys"))
