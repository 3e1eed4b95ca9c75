import SE3Data

/// Whole-batch conversions. Layouts follow `GraphBatch`: graph targets G·k values (graph-major),
/// atom targets A·k values (atom-major).
extension TargetNormalizer {
    /// Standardised targets of every normalised target present in `batch`.
    public func standardizedTargets(_ batch: GraphBatch) throws -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for t in targets {
            let values = try batchValues(t, batch)
            out[t.name] = transform(t, values, batch) { t, v, z in t.standardized(v, atomicNumbers: z) }
        }
        return out
    }

    /// Physical values of standardised predictions (same layout as the batch's targets).
    public func physicalPredictions(_ outputs: [String: [Double]], batch: GraphBatch) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for t in targets {
            guard let v = outputs[t.name] else { continue }
            out[t.name] = transform(t, v, batch) { t, v, z in t.physical(v, atomicNumbers: z) }
        }
        return out
    }

    func batchValues(_ t: Target, _ batch: GraphBatch) throws -> [Double] {
        let values = t.level == .graph ? batch.graphTargets[t.name] : batch.atomTargets[t.name]
        guard let v = values else {
            throw DataError(file: "batch", field: "/\(t.level.rawValue)/\(t.name)", "target \(t.name) is missing")
        }
        let rows = t.level == .graph ? batch.graphCount : batch.atomCount
        guard v.count == rows * t.components else {
            throw DataError(file: "batch", field: "/\(t.level.rawValue)/\(t.name)",
                            "\(v.count) values for \(rows) rows of \(t.components) components")
        }
        return v
    }

    private func transform(_ t: Target, _ values: [Double], _ batch: GraphBatch,
                           _ f: (Target, ArraySlice<Double>, ArraySlice<Int32>) -> [Double]) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(values.count)
        let k = t.components
        for g in 0..<batch.graphCount {
            let a0 = batch.atomOffsets[g], a1 = batch.atomOffsets[g + 1]
            let z = batch.atomicNumbers[a0..<a1]
            let range = t.level == .graph ? (g * k)..<((g + 1) * k) : (a0 * k)..<(a1 * k)
            out += f(t, values[range], z)
        }
        return out
    }
}
