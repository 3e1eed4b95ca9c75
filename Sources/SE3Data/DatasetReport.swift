import Foundation

/// Summary of a dataset produced by `DatasetInspector`, with a plain-text rendering.
public struct DatasetReport: Sendable {
    public struct Shard: Sendable, Equatable {
        public var path: String
        public var structures: Int
        public var atoms: Int
    }

    public struct Element: Sendable, Equatable {
        public var atomicNumber: Int32
        public var symbol: String
        public var count: Int
    }

    public struct Target: Sendable, Equatable {
        public var info: TargetInfo
        public var mean: Double
        public var std: Double
        public var normalization: DatasetStatistics.Normalization
        /// True when element references were subtracted (extensive target).
        public var extensive: Bool
        /// `statistics` (read from `/statistics`, train split) or `computed` (over this dataset).
        public var source: String
    }

    public var path: String
    public var structures: Int
    public var atoms: Int
    public var minAtoms: Int
    public var maxAtoms: Int
    public var hasIDs: Bool
    public var hasCell: Bool
    public var elements: [Element]
    public var targets: [Target]
    public var shards: [Shard]

    /// Human-readable multi-line report.
    public func render() -> String {
        var out = "dataset: \(path)\n"
        out += "format: \(DatasetFormat.name) v\(DatasetFormat.version), lengths in \(DatasetFormat.lengthUnit)\n"
        let meanAtoms = structures > 0 ? Double(atoms) / Double(structures) : 0
        out += "structures: \(structures)\n"
        out += "atoms: \(atoms) (per structure: min \(minAtoms), mean \(String(format: "%.2f", meanAtoms)), max \(maxAtoms))\n"
        out += "ids: \(hasIDs ? "yes" : "no"), cells: \(hasCell ? "yes" : "no")\n"
        out += "elements:\n"
        for e in elements {
            let pct = atoms > 0 ? 100 * Double(e.count) / Double(atoms) : 0
            out += "  \(e.symbol.padding(toLength: 3, withPad: " ", startingAt: 0)) (Z=\(e.atomicNumber)): \(e.count) atoms (\(String(format: "%.2f", pct))%)\n"
        }
        out += "targets:\n"
        for t in targets {
            let name = t.info.name.padding(toLength: max(8, t.info.name.count), withPad: " ", startingAt: 0)
            var line = "  \(name) \(t.info.level.rawValue) \(t.info.kind.rawValue) [\(t.info.units)]"
            line += String(format: "  mean %.6g  std %.6g", t.mean, t.std)
            line += "  (\(t.normalization.rawValue)\(t.extensive ? ", after element references" : ""), \(t.source))"
            out += line + "\n"
        }
        out += "shards: \(shards.count)\n"
        for s in shards { out += "  \(s.path): \(s.structures) structures, \(s.atoms) atoms\n" }
        return out
    }
}
