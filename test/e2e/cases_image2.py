"""GridSample, AffineGrid, DeformConv, RoiAlign, CenterCropPad, Col2Im, MaxUnpool and MaxPool's
Indices against onnxruntime: the sampling modes and padding modes spatial transformers and
deformable detectors export, box pooling of detection heads, and unpooling decoders."""
import numpy as np

from e2e_case import F32, I64, N, U, W, case, spec


def _grid(r, *shape, spread=1.2):
    """Normalised sampling positions, some of them outside [-1, 1]."""
    return U(r, *shape, lo=-spread, hi=spread)


@case
def gridsample_bilinear_zeros_opset16(r):  # torch F.grid_sample default export
    return spec(16, [N("GridSample", ["x", "g"], mode="bilinear", padding_mode="zeros")],
                {"x": U(r, 2, 3, 5, 6), "g": _grid(r, 2, 4, 7, 2)})


@case
def gridsample_cubic_border_align_opset20(r):
    # (onnxruntime's opset 16 bicubic/border kernel disagrees with the ONNX reference, which
    # onnxc follows; its opset 20 kernel agrees.)
    return spec(20, [N("GridSample", ["x", "g"], mode="cubic", padding_mode="border",
                       align_corners=1)],
                {"x": U(r, 1, 2, 4, 5), "g": _grid(r, 1, 3, 3, 2)})


@case
def gridsample_nearest_reflection_opset20(r):
    return spec(20, [N("GridSample", ["x", "g"], mode="nearest", padding_mode="reflection")],
                {"x": U(r, 1, 2, 5, 4), "g": _grid(r, 1, 6, 5, 2, spread=2.5)})


@case
def gridsample_linear_reflection_align_opset20(r):
    return spec(20, [N("GridSample", ["x", "g"], mode="linear", padding_mode="reflection",
                       align_corners=1)],
                {"x": U(r, 1, 1, 4, 6), "g": _grid(r, 1, 5, 5, 2, spread=3.0)})


@case
def affine_grid_then_gridsample(r):  # spatial transformer network
    theta = np.array([[[0.9, -0.2, 0.1], [0.25, 1.1, -0.05]]], dtype=F32)
    return spec(20, [N("AffineGrid", ["theta", "size"], ["g"]),
                     N("GridSample", ["x", "g"], mode="linear")],
                {"x": U(r, 1, 3, 6, 5)}, {"theta": theta, "size": I64(1, 3, 4, 7)})


@case
def affine_grid_3d_align_corners(r):
    return spec(20, [N("AffineGrid", ["theta", "size"], align_corners=1)],
                {"theta": U(r, 2, 3, 4)}, {"size": I64(2, 1, 3, 4, 5)})


@case
def deform_conv_groups_mask_bias(r):  # torchvision.ops.deform_conv2d export
    return spec(19, [N("DeformConv", ["x", "w", "off", "b", "m"], kernel_shape=[3, 3],
                       pads=[1, 1, 1, 1], strides=[2, 1], group=2, offset_group=2)],
                {"x": U(r, 1, 4, 6, 5), "off": U(r, 1, 36, 3, 5, lo=-1.5, hi=1.5),
                 "m": U(r, 1, 18, 3, 5, lo=0.0, hi=1.0)},
                {"w": W(r, 6, 2, 3, 3), "b": U(r, 6)})


@case
def roialign_avg_half_pixel(r):  # Mask R-CNN box head
    rois = np.array([[0.5, 1.0, 6.2, 7.9], [2.0, 0.0, 9.5, 4.1], [-1.0, 3.0, 3.0, 11.0]], dtype=F32)
    return spec(16, [N("RoiAlign", ["x", "rois", "bi"], output_height=3, output_width=4,
                       sampling_ratio=2, spatial_scale=0.8)],
                {"x": U(r, 2, 3, 8, 9), "rois": rois}, {"bi": I64(1, 0, 1)})


@case
def roialign_max_output_half_pixel(r):
    rois = np.array([[0.0, 0.0, 4.0, 3.0], [1.5, 2.5, 7.0, 7.5]], dtype=F32)
    return spec(16, [N("RoiAlign", ["x", "rois", "bi"], mode="max", output_height=2,
                       output_width=2, sampling_ratio=3,
                       coordinate_transformation_mode="output_half_pixel")],
                {"x": U(r, 1, 2, 8, 8), "rois": rois}, {"bi": I64(0, 0)})


@case
def center_crop_pad_mixed_axes(r):
    return spec(18, [N("CenterCropPad", ["x", "s"], axes=[-1, 1])],
                {"x": U(r, 2, 7, 4, 9)}, {"s": I64(4, 10)})


@case
def col2im_strided_dilated_padded(r):  # torch F.fold export
    return spec(18, [N("Col2Im", ["x", "img", "blk"], strides=[2, 1], dilations=[1, 2],
                       pads=[1, 0, 1, 1])],
                {"x": U(r, 2, 12, 12)}, {"img": I64(7, 6), "blk": I64(2, 3)})


@case
def maxpool_indices_then_unpool(r):  # SegNet-style encoder/decoder
    return spec(12, [N("MaxPool", ["x"], ["p", "i"], kernel_shape=[2, 2], strides=[2, 2]),
                     N("MaxUnpool", ["p", "i"], kernel_shape=[2, 2], strides=[2, 2])],
                {"x": U(r, 2, 3, 6, 8)})


@case
def maxpool_indices_padded_storage_order(r):
    return spec(12, [N("MaxPool", ["x"], ["y", "i"], kernel_shape=[3, 3], strides=[2, 2],
                       pads=[1, 1, 1, 1], storage_order=1)],
                {"x": U(r, 1, 2, 7, 6)}, outs=("y", "i"))
