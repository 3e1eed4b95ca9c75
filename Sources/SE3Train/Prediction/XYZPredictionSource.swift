import SE3Data

/// An extended-XYZ file as a `PredictionSource`, streamed (one frame in memory at a time, plus
/// the batch being predicted); each structure comes with its frame text so the output keeps every
/// key and column of the input.
final class XYZPredictionSource: PredictionSource {
    let reader: XYZReader
    let count: Int

    init(path: String, count: Int) throws {
        // no targets: frames need not share their keys, and the text is copied as it is
        reader = try XYZReader(path: path, options: XYZReader.Options(graphKeys: [], atomKeys: [], keepText: true))
        self.count = count
    }

    var name: String { reader.name }
    var unit: String { "frame" }

    func seek(_ index: Int) throws {
        let skipped = try reader.skip(index - reader.framesRead)
        guard reader.framesRead == index else {
            throw DataError(file: name, field: "frames", "skipped \(skipped) frames to reach frame \(index), but the file ended; did it change?")
        }
    }

    func next(_ n: Int) throws -> [(structure: Structure, text: XYZFrameText?)] {
        var out: [(structure: Structure, text: XYZFrameText?)] = []
        while out.count < n, let s = try reader.next() { out.append((s, reader.frameText)) }
        return out
    }
}
