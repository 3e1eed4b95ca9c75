/// A `StructureSource` backed by an array (tests, small datasets, data read from XYZ).
public struct InMemorySource: StructureSource, Sendable {
    public var structures: [Structure]
    public var targets: [TargetInfo]
    /// Name used in errors.
    public var name: String
    public var sourceName: String { name }

    /// `targets == nil` infers them from the first structure: kind from the number of
    /// components (graph: 1 / 3 / 9 values; atom: 1 / 3 / 9 per atom), empty units,
    /// sorted by level (graph first) then name.
    public init(structures: [Structure], targets: [TargetInfo]? = nil, name: String = "<memory>") {
        self.structures = structures
        self.name = name
        self.targets = targets ?? InMemorySource.inferTargets(structures.first)
    }

    static func inferTargets(_ s: Structure?) -> [TargetInfo] {
        guard let s = s else { return [] }
        func kind(_ c: Int) -> TargetKind { c == 3 ? .vector : (c == 9 ? .rank2 : .scalar) }
        var out: [TargetInfo] = []
        for name in s.graphTargets.keys.sorted() {
            out.append(TargetInfo(name: name, level: .graph, kind: kind(s.graphTargets[name]!.count), units: ""))
        }
        for name in s.atomTargets.keys.sorted() {
            let c = s.atomCount > 0 ? s.atomTargets[name]!.count / s.atomCount : 1
            out.append(TargetInfo(name: name, level: .atom, kind: kind(c), units: ""))
        }
        return out
    }

    public var count: Int { structures.count }

    /// - Throws: `DataError` (field "range") when the range is outside `0..<count`.
    public func read(_ range: Range<Int>) throws -> [Structure] {
        guard range.lowerBound >= 0, range.upperBound <= structures.count else {
            throw DataError(file: name, field: "range", "rows \(range) outside 0..<\(structures.count)")
        }
        return Array(structures[range])
    }
}
