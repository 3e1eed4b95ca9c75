/// `SE3Distributed` module of se3. See README.md for the layering.
import CMPI
public enum SE3DistributedModule { public static let name = "SE3Distributed" }
