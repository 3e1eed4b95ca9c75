/// `SE3Tensor` module of se3. See README.md for the layering.
import CBLAS
public enum SE3TensorModule { public static let name = "SE3Tensor" }
