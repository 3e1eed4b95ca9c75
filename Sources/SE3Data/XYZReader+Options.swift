extension XYZReader {
    /// Which keys of an extended-XYZ file become targets.
    public struct Options: Equatable, Sendable {
        /// Comment-line keys to use as graph targets (each must be present and numeric in
        /// every frame); nil = every numeric key with 1, 3 or 9 values (6 for `stress` /
        /// `virial`), except `Lattice`, `Properties`, `pbc` and `excludedKeys`.
        public var graphKeys: [String]?
        /// Real (`R`) per-atom properties to use as atom targets; nil = every `R` property
        /// with 1, 3 or 9 columns except `pos` and `excludedKeys`.
        public var atomKeys: [String]?
        /// Keys never used as targets when the lists above are nil.
        public var excludedKeys: Set<String>
        /// Keep the text of each frame (`XYZReader.frameText`), e.g. to copy it with added columns.
        public var keepText: Bool

        public init(graphKeys: [String]? = nil, atomKeys: [String]? = nil,
                    excludedKeys: Set<String> = ["momenta", "velocities", "masses", "step", "Time", "time"],
                    keepText: Bool = false) {
            self.graphKeys = graphKeys
            self.atomKeys = atomKeys
            self.excludedKeys = excludedKeys
            self.keepText = keepText
        }
    }

    /// Units guessed from a target name, following ASE's conventions (eV, Å):
    /// names containing "energy" → "eV", "forces" → "eV/Å", "stress" → "eV/Å^3",
    /// "virial" → "eV", "charge" → "e"; otherwise "".
    public static func defaultUnits(_ name: String) -> String {
        let n = name.lowercased()
        if n.contains("energy") { return "eV" }
        if n.contains("force") { return "eV/Å" }
        if n.contains("stress") { return "eV/Å^3" }
        if n.contains("virial") { return "eV" }
        if n.contains("charge") { return "e" }
        return ""
    }
}
