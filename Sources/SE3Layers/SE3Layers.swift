/// `SE3Layers` module of se3. See README.md for the layering.
public enum SE3LayersModule { public static let name = "SE3Layers" }
