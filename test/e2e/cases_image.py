"""Resize, Upsample and ConvTranspose against onnxruntime: the modes detection and
segmentation exporters emit (nearest/linear/cubic at common scales), legacy opsets, and
transposed convolutions as decoders use them (strided, grouped, output_padding)."""
import numpy as np

from e2e_case import F32, I64, N, U, W, case, spec


def _scales(*v):
    return np.array(v, dtype=F32)


@case
def resize_nearest_2x_opset13(r):  # torch F.interpolate(scale_factor=2) export
    return spec(13, [N("Resize", ["x", "", "s"], mode="nearest",
                       coordinate_transformation_mode="asymmetric", nearest_mode="floor")],
                {"x": U(r, 1, 3, 5, 4)}, {"s": _scales(1, 1, 2, 2)})


@case
def resize_linear_half_pixel_sizes(r):  # torchvision / segmentation heads, sizes input
    return spec(13, [N("Resize", ["x", "", "", "sz"], mode="linear")],
                {"x": U(r, 2, 2, 6, 7)}, {"sz": I64(2, 2, 9, 5)})


@case
def resize_linear_align_corners_down(r):
    return spec(13, [N("Resize", ["x", "", "s"], mode="linear",
                       coordinate_transformation_mode="align_corners")],
                {"x": U(r, 1, 2, 8, 8)}, {"s": _scales(1, 1, 0.5, 0.75)})


@case
def resize_cubic_pytorch_half_pixel(r):
    return spec(13, [N("Resize", ["x", "", "s"], mode="cubic", cubic_coeff_a=-0.75,
                       coordinate_transformation_mode="pytorch_half_pixel")],
                {"x": U(r, 1, 1, 5, 6)}, {"s": _scales(1, 1, 1.5, 2)})


@case
def resize_nearest_round_prefer_ceil_axes(r):  # opset 18 axes
    return spec(18, [N("Resize", ["x", "", "", "sz"], mode="nearest", axes=[3, 2],
                       nearest_mode="round_prefer_ceil")],
                {"x": U(r, 1, 2, 4, 3)}, {"sz": I64(7, 6)})


@case
def resize_nearest_int32_input(r):  # nearest works on any element type
    return spec(13, [N("Resize", ["x", "", "s"], mode="nearest")],
                {"x": r.integers(-50, 50, size=(1, 1, 3, 3)).astype(np.int32)},
                {"s": _scales(1, 1, 2, 3)})


@case
def resize_opset11_tf_crop_and_resize(r):
    return spec(11, [N("Resize", ["x", "roi", "s"], mode="linear", extrapolation_value=-3.0,
                       coordinate_transformation_mode="tf_crop_and_resize")],
                {"x": U(r, 1, 1, 4, 4)},
                {"roi": np.array([0, 0, -0.2, 0.3, 1, 1, 0.9, 1.4], dtype=F32),
                 "s": _scales(1, 1, 1.5, 1.25)})


@case
def resize_opset10_nearest(r):
    return spec(10, [N("Resize", ["x", "s"], mode="nearest")],
                {"x": U(r, 1, 2, 3, 3)}, {"s": _scales(1, 1, 2, 2)})


@case
def resize_opset10_nearest_down(r):  # legacy rounding: ceil when downsampling
    return spec(10, [N("Resize", ["x", "s"], mode="nearest")],
                {"x": U(r, 1, 2, 7, 8)}, {"s": _scales(1, 1, 0.6, 0.5)})


@case
def upsample_opset9_nearest(r):
    return spec(9, [N("Upsample", ["x", "s"], mode="nearest")],
                {"x": U(r, 1, 2, 3, 4)}, {"s": _scales(1, 1, 2, 3)})


@case
def convtranspose_2d_stride2_bias(r):  # decoder upsampling block
    return spec(13, [N("ConvTranspose", ["x", "w", "b"], strides=[2, 2], pads=[1, 1, 1, 1],
                       output_padding=[1, 1])],
                {"x": U(r, 1, 4, 5, 6)}, {"w": W(r, 4, 3, 3, 3), "b": W(r, 3)})


@case
def convtranspose_phases_k4_s2(r):  # DCGAN/U-Net upsampling: 4x4 kernel, stride 2, pads 1 (phase Conv)
    return spec(13, [N("ConvTranspose", ["x", "w", "b"], ["c"], strides=[2, 2], pads=[1, 1, 1, 1]),
                     N("Relu", ["c"], ["y"])],
                {"x": U(r, 1, 24, 9, 7)}, {"w": W(r, 24, 16, 4, 4), "b": W(r, 16)})


@case
def convtranspose_phases_uneven(r):  # kernel not a multiple of the strides, asymmetric pads, output_padding
    return spec(13, [N("ConvTranspose", ["x", "w", "b"], strides=[3, 2], pads=[2, 0, 1, 1],
                       output_padding=[1, 1])],
                {"x": U(r, 1, 3, 4, 5)}, {"w": W(r, 3, 2, 5, 3), "b": W(r, 2)})


@case
def convtranspose_phases_stride1(r):  # stride 1: one phase, the flipped and swapped kernel
    return spec(13, [N("ConvTranspose", ["x", "w"], pads=[0, 1, 0, 1])],
                {"x": U(r, 1, 6, 5, 5)}, {"w": W(r, 6, 4, 3, 3)})


@case
def convtranspose_output_shape(r):  # pads from output_shape: the larger half at the start (NOTSET)
    return spec(13, [N("ConvTranspose", ["x", "w"], strides=[2, 2], output_shape=[9, 11])],
                {"x": U(r, 1, 2, 4, 5)}, {"w": W(r, 2, 3, 4, 4)})


@case
def convtranspose_grouped_dilated_1d(r):
    return spec(13, [N("ConvTranspose", ["x", "w"], group=2, dilations=[2], strides=[3])],
                {"x": U(r, 2, 4, 5)}, {"w": W(r, 4, 3, 3)})


@case
def convtranspose_3d_same_upper(r):
    return spec(13, [N("ConvTranspose", ["x", "w"], auto_pad="SAME_UPPER", strides=[2, 1, 2])],
                {"x": U(r, 1, 2, 3, 3, 2)}, {"w": W(r, 2, 2, 2, 3, 3)})


@case
def depthtospace_dcr(r):  # pixel-shuffle style upsampling heads
    return spec(13, [N("DepthToSpace", ["x"], blocksize=2, mode="DCR")], {"x": U(r, 2, 8, 3, 2)})


@case
def depthtospace_crd(r):  # torch.nn.PixelShuffle export
    return spec(13, [N("DepthToSpace", ["x"], blocksize=3, mode="CRD")], {"x": U(r, 1, 18, 2, 3)})


@case
def spacetodepth_2(r):
    return spec(13, [N("SpaceToDepth", ["x"], blocksize=2)], {"x": U(r, 2, 3, 4, 6)})


@case
def globalmaxpool_2d(r):
    return spec(13, [N("GlobalMaxPool", ["x"])], {"x": U(r, 2, 3, 5, 4)})
