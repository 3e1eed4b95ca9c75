import Foundation

/// Chemical element symbols indexed by atomic number Z (1...118; index 0 is unused).
public enum DatasetElements {
    public static let symbols: [String] = [
        "",
        "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne",
        "Na", "Mg", "Al", "Si", "P", "S", "Cl", "Ar", "K", "Ca",
        "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
        "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr",
        "Nb", "Mo", "Tc", "Ru", "Rh", "Pd", "Ag", "Cd", "In", "Sn",
        "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
        "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb",
        "Lu", "Hf", "Ta", "W", "Re", "Os", "Ir", "Pt", "Au", "Hg",
        "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th",
        "Pa", "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm",
        "Md", "No", "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds",
        "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
    ]

    private static let bySymbol: [String: Int32] = {
        var d: [String: Int32] = [:]
        for (z, s) in symbols.enumerated() where z > 0 { d[s.lowercased()] = Int32(z) }
        return d
    }()

    /// Symbol of element `z`, or `"Z<z>"` outside 1...118.
    public static func symbol(_ z: Int32) -> String {
        (1...118).contains(Int(z)) ? symbols[Int(z)] : "Z\(z)"
    }

    /// Atomic number of a symbol (case-insensitive, surrounding spaces ignored), or nil.
    public static func atomicNumber(_ symbol: String) -> Int32? {
        bySymbol[symbol.trimmingCharacters(in: .whitespaces).lowercased()]
    }
}
