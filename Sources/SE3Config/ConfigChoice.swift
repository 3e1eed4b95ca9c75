/// A closed choice in a config file (`loss: l1`, `nonlinearity: gate`): a string-backed enum
/// whose decoding error lists the allowed values.
///
///     enum Loss: String, ConfigChoice { case l1, mse }
///     // `loss: huber` → "training.loss: must be one of 'l1', 'mse'; got 'huber'"
public protocol ConfigChoice: RawRepresentable, CaseIterable, Codable, Sendable, Equatable where RawValue == String {}

extension ConfigChoice {
    /// The allowed values, quoted and comma-separated: `'l1', 'mse'`.
    public static var allowedValues: String { allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let hint = KeySuggestion.nearest(to: text, among: Self.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
            throw DecodingError.dataCorruptedError(in: container,
                                                   debugDescription: "must be one of \(Self.allowedValues); got '\(text)'\(hint)")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
