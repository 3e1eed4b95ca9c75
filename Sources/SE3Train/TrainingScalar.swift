import SE3Distributed
import SE3Tensor

/// The scalar types training runs in (`training.dtype`): `Float` (`float32`) and `Double`
/// (`float64`). Parameters, gradients, optimiser state and every computation of a run use one of
/// them; this protocol adds the collectives the trainer needs in that type.
public protocol TrainingScalar: TensorScalar {
    static var dtype: OptimizationConfig.DType { get }
    /// Sums `values` and `totals` over all ranks in one exchange (in place).
    static func allreduceSum(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Self>,
                             _ totals: UnsafeMutableBufferPointer<Double>) throws
    static func allreduceSum(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Self>) throws
    static func broadcast(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Self>, root: Int) throws
}

extension Float: TrainingScalar {
    public static var dtype: OptimizationConfig.DType { .float32 }
    public static func allreduceSum(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Float>,
                                    _ totals: UnsafeMutableBufferPointer<Double>) throws {
        try comm.allreduceSum(values, totals)
    }
    public static func allreduceSum(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Float>) throws {
        try comm.allreduceSum(values)
    }
    public static func broadcast(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Float>, root: Int) throws {
        try comm.broadcast(values, root: root)
    }
}

extension Double: TrainingScalar {
    public static var dtype: OptimizationConfig.DType { .float64 }
    /// One Double exchange of both parts (copied into one buffer).
    public static func allreduceSum(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Double>,
                                    _ totals: UnsafeMutableBufferPointer<Double>) throws {
        var joined = [Double](values)
        joined += totals
        try comm.allreduceSum(&joined)
        for i in 0..<values.count { values[i] = joined[i] }
        for i in 0..<totals.count { totals[i] = joined[values.count + i] }
    }
    public static func allreduceSum(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Double>) throws {
        try comm.allreduceSum(values)
    }
    public static func broadcast(_ comm: Communicator, _ values: UnsafeMutableBufferPointer<Double>, root: Int) throws {
        try comm.broadcast(values, root: root)
    }
}
