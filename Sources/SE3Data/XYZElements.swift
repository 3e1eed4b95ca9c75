/// Chemical element symbols for Z = 1...118 (IUPAC), used by the XYZ reader.
public enum XYZElements {
    public static let symbols: [String] = [
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar",
        "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr",
        "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe",
        "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
        "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn",
        "Fr", "Ra", "Ac", "Th", "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr",
        "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ]

    static let table: [String: Int32] = {
        var t = [String: Int32]()
        for (i, s) in symbols.enumerated() { t[s] = Int32(i + 1) }
        return t
    }()

    /// Atomic number of a symbol; case-insensitive ("FE", "fe" → 26); nil if unknown.
    public static func atomicNumber(_ symbol: String) -> Int32? {
        if let z = table[symbol] { return z }
        guard let f = symbol.first else { return nil }
        return table[f.uppercased() + symbol.dropFirst().lowercased()]
    }

    /// Symbol of atomic number `z` (1...118), nil otherwise.
    public static func symbol(_ z: Int32) -> String? {
        (1...118).contains(z) ? symbols[Int(z) - 1] : nil
    }
}
