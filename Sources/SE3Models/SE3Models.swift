/// `SE3Models` module of se3. See README.md for the layering.
public enum SE3ModelsModule { public static let name = "SE3Models" }
