/// A coding key for any string: lets a decoder list every key a mapping holds.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?
    public init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    public init(intValue: Int) { stringValue = "\(intValue)"; self.intValue = intValue }
}

/// A key in a config mapping that no config type knows (a typo, or a key of another section).
/// Thrown while decoding; `ConfigError(decoding:file:overrides:)` turns it into a message naming
/// the file and the key path, with the nearest known key.
public struct UnknownKeyError: Error, Sendable {
    /// The path of the mapping that holds the key (`["training"]`, `["targets", 0]`).
    public var path: [AnyCodingKey]
    public var key: String
    /// The keys that mapping may hold.
    public var known: [String]
}

extension Decoder {
    /// Throws `UnknownKeyError` for the first key of this mapping that is not in `known`
    /// (in the file's order). Call it first in `init(from:)` of every config type; a type whose
    /// keys are spread over several types (the `model:` section) calls it once with their union.
    public func rejectUnknownKeys(known: [String]) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        let allowed = Set(known)
        if let bad = container.allKeys.first(where: { !allowed.contains($0.stringValue) }) {
            throw UnknownKeyError(path: codingPath.map { k in
                k.intValue.map { AnyCodingKey(intValue: $0) } ?? AnyCodingKey(stringValue: k.stringValue)
            }, key: bad.stringValue, known: known)
        }
    }

    /// `rejectUnknownKeys(known:)` with the cases of a `CodingKey` enum.
    public func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ keys: K.Type) throws {
        try rejectUnknownKeys(known: K.allCases.map(\.stringValue))
    }
}
