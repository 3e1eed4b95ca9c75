import Foundation

/// Import of QM9 from the CSV files of the PyPI wheel `qm9pack` (`qm9pack/data/qm9_part{1,2,3}.csv`,
/// 130,831 molecules). Molecules are read in file order (part1, part2, part3), line by line.
///
/// Targets (names as in the literature; hartree columns converted with 1 Ha = 27.211386246 eV):
/// graph scalars `mu` (D), `alpha` (bohr^3), `homo`, `lumo`, `gap` (eV), `r2` (bohr^2),
/// `zpve` (eV), `U0`, `U`, `H`, `G` (eV), `Cv` (cal/mol K); per-atom `charges` (Mulliken, e).
/// `id` is the QM9 molecule index (column `Index`). The polarizability tensors of
/// `qm9_polarizability.csv` are NOT imported: they are not in the frame of the stored coordinates.
public struct QM9Importer {
    public static let hartreeToEV = 27.211386246

    /// A CSV column, the target it becomes and the unit conversion factor.
    public struct Column: Sendable {
        public let column: String
        public let target: TargetInfo
        public let factor: Double
    }

    public static let columns: [Column] = [
        Column(column: "Dipole_debye", target: TargetInfo(name: "mu", level: .graph, kind: .scalar, units: "D"), factor: 1),
        Column(column: "Polarizability_bohr3", target: TargetInfo(name: "alpha", level: .graph, kind: .scalar, units: "bohr^3"), factor: 1),
        Column(column: "HOMO_au", target: TargetInfo(name: "homo", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "LUMO_au", target: TargetInfo(name: "lumo", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "HOMO_LUMO_gap_au", target: TargetInfo(name: "gap", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "R2_bohr2", target: TargetInfo(name: "r2", level: .graph, kind: .scalar, units: "bohr^2"), factor: 1),
        Column(column: "ZPVE_au", target: TargetInfo(name: "zpve", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "InternalEnergy_0K_au", target: TargetInfo(name: "U0", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "InternalEnergy_298K_au", target: TargetInfo(name: "U", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "Enthalphy_298K_au", target: TargetInfo(name: "H", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "GibbsFreeEnergy_298K_au", target: TargetInfo(name: "G", level: .graph, kind: .scalar, units: "eV"), factor: hartreeToEV),
        Column(column: "Heatcapacity_Cv_cal_mol_K", target: TargetInfo(name: "Cv", level: .graph, kind: .scalar, units: "cal/mol K"), factor: 1),
    ]

    /// All targets written by the importer: the graph targets above, then `charges`.
    public static let targets: [TargetInfo] = columns.map(\.target) + [TargetInfo(name: "charges", level: .atom, kind: .scalar, units: "e")]

    /// Targets that get least-squares element references in the statistics.
    public static let extensiveTargets: Set<String> = ["U0", "U", "H", "G", "zpve"]

    /// The CSV files read, in order.
    public let files: [String]

    /// `source`: a directory containing `qm9_part*.csv` (searched up to 3 levels deep, so the
    /// unpacked wheel root works), or a single CSV file.
    public init(source: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDir) else {
            throw DataError(file: source, field: "--source", "no such file or directory")
        }
        if !isDir.boolValue { files = [source]; return }
        var found: [String] = []
        var level = [source]
        for _ in 0...3 where found.isEmpty {
            var next: [String] = []
            for dir in level {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
                for name in names.sorted() {
                    let p = (dir as NSString).appendingPathComponent(name)
                    var d: ObjCBool = false
                    _ = FileManager.default.fileExists(atPath: p, isDirectory: &d)
                    if d.boolValue { next.append(p) } else if name.hasPrefix("qm9_part") && name.hasSuffix(".csv") { found.append(p) }
                }
            }
            level = next
        }
        guard !found.isEmpty else {
            throw DataError(file: source, field: "--source", "no qm9_part*.csv files found (looked up to 3 directory levels deep)")
        }
        // part1, part2, ..., part10 in numeric order.
        func partNumber(_ p: String) -> Int {
            let name = (p as NSString).lastPathComponent
            return Int(name.dropFirst("qm9_part".count).dropLast(".csv".count)) ?? Int.max
        }
        files = found.sorted { (partNumber($0), $0) < (partNumber($1), $1) }
    }

    /// Number of molecules (non-blank data lines) in all files, capped at `limit`.
    public func countMolecules(limit: Int? = nil) throws -> Int {
        var n = 0
        for f in files {
            if let l = limit, n >= l { break }
            n += try QM9CSVReader(path: f).countRemaining()
        }
        return limit.map { min($0, n) } ?? n
    }

    /// Calls `body` with each molecule in file order, at most `limit` of them; returns the count.
    @discardableResult
    public func forEachMolecule(limit: Int? = nil, _ body: (Structure) throws -> Void) throws -> Int {
        var n = 0
        for f in files {
            let reader = try QM9CSVReader(path: f)
            while limit.map({ n < $0 }) ?? true, let s = try reader.next() {
                try body(s)
                n += 1
            }
            if let l = limit, n >= l { break }
        }
        return n
    }

    /// The first `limit` molecules (convenience for tests and small subsets).
    public func read(limit: Int) throws -> [Structure] {
        var out: [Structure] = []
        try forEachMolecule(limit: limit) { out.append($0) }
        return out
    }
}
