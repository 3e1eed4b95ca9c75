/// `SE3Tensor` module of se3: row-major tensors, a reverse-mode autodiff tape,
/// a contiguous parameter store and finite-difference gradient checks.
/// See README.md for the layering (SE3Math → SE3Tensor → SE3Layers).
public enum SE3TensorModule { public static let name = "SE3Tensor" }
