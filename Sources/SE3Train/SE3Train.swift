/// `SE3Train` module of se3. See README.md for the layering.
public enum SE3TrainModule { public static let name = "SE3Train" }
