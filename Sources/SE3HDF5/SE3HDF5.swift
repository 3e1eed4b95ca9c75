/// `SE3HDF5` module of se3. See README.md for the layering.
import CHDF5
public enum SE3HDF5Module { public static let name = "SE3HDF5" }
