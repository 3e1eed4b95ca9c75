import SE3Data

/// An se3 dataset as a `PredictionSource` (structures keep their ids and targets).
final class DatasetPredictionSource: PredictionSource {
    let dataset: Dataset
    private var cursor = 0

    init(dataset: Dataset) { self.dataset = dataset }

    var count: Int { dataset.count }
    var name: String { dataset.path }
    var unit: String { "structure" }

    func seek(_ index: Int) throws { cursor = index }

    func next(_ n: Int) throws -> [(structure: Structure, text: XYZFrameText?)] {
        let end = min(dataset.count, cursor + n)
        guard end > cursor else { return [] }
        defer { cursor = end }
        return try dataset.read(cursor..<end).map { ($0, nil) }
    }
}
