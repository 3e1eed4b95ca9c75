/// The text of one extended-XYZ frame as it was read (`XYZReader.Options.keepText`), so a
/// writer can copy it and add keys and columns (`XYZFrameFormat.frame(text:…)`).
public struct XYZFrameText: Equatable, Sendable {
    /// The comment line (line 2 of the frame), without its line terminator.
    public var comment: String
    /// The atom lines, without line terminators.
    public var atomLines: [String]
    /// UTF-8 byte offsets of the `Properties=…` entry in `comment` (nil: the frame has none,
    /// so its columns are `XYZProperty.defaultSpec`).
    public var propertiesSpan: Range<Int>?
    /// The column groups of the atom lines.
    public var properties: [XYZProperty]
    /// The keys of the comment line, in order.
    public var infoKeys: [String]

    public init(comment: String, atomLines: [String], propertiesSpan: Range<Int>?, properties: [XYZProperty],
                infoKeys: [String]) {
        self.comment = comment
        self.atomLines = atomLines
        self.propertiesSpan = propertiesSpan
        self.properties = properties
        self.infoKeys = infoKeys
    }
}
