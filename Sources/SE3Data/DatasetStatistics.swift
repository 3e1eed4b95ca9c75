/// Normalisation statistics of a dataset's targets, computed on the training split and
/// stored in every shard under `/statistics` (see `DatasetStatistics+Storage.swift`).
///
/// Definitions (G graphs, N_g atoms in graph g, n_gZ atoms of element Z in graph g):
/// - graph scalar, intensive: `mean = (1/G) Σ_g y_g`, `std = sqrt((1/G) Σ_g (y_g − mean)²)`
///   (population std), normalization `per_graph`;
/// - graph scalar, EXTENSIVE (e.g. energies): element references `r_Z` minimise
///   `Σ_g (y_g − Σ_Z n_gZ r_Z)²` (linear least squares over the elements present; an element
///   whose count column is linearly dependent on the others gets `r_Z = 0`; absent elements 0);
///   with the per-atom residual `e_g = (y_g − Σ_Z n_gZ r_Z) / N_g`, `mean = (1/G) Σ_g e_g` and
///   `std = sqrt((1/G) Σ_g (e_g − mean)²)`, normalization `per_atom`. A sum-pooled model then
///   predicts `y_g ≈ Σ_{i∈g} (r_{Z_i} + mean + std · o_i)`;
/// - atom scalar: mean and population std over all atoms of all graphs, normalization `per_atom`;
/// - vector and rank-2 targets (either level): `mean = 0` (a component mean is not
///   rotation-invariant, so it is never subtracted) and `std = sqrt(mean of squared components)`
///   (RMS component), normalization `per_graph` or `per_atom` by level.
public struct DatasetStatistics: Equatable, Sendable {
    /// Statistics per target name.
    public var entries: [String: Entry]
    /// Number of structures the statistics were computed on.
    public var structureCount: Int

    public init(entries: [String: Entry], structureCount: Int) {
        self.entries = entries
        self.structureCount = structureCount
    }

    public subscript(_ name: String) -> Entry? { entries[name] }
}
