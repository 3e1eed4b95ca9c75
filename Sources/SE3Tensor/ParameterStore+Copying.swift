/// Copies, conversion, equality and Codable for parameter stores.
extension ParameterStore {
    /// A deep copy (layout, values and gradients).
    public func copy() -> ParameterStore<T> {
        let c = ParameterStore<T>(parameters: parameters, values: values)
        c.grads = grads
        return c
    }

    /// The same layout and values converted to another scalar type; gradients start at zero.
    public func converted<U: TensorScalar>(to: U.Type) -> ParameterStore<U> {
        ParameterStore<U>(parameters: parameters, values: values.map { U($0) })
    }
}

extension ParameterStore: Equatable {
    /// Two stores are equal when they have the same layout and the same values
    /// (gradients are transient and not compared).
    public static func == (lhs: ParameterStore, rhs: ParameterStore) -> Bool {
        lhs.parameters == rhs.parameters && lhs.values == rhs.values
    }
}

extension ParameterStore: Codable {
    private enum CodingKeys: String, CodingKey { case parameters, values }

    /// Decodes layout and values (gradients start at zero). An inconsistent
    /// layout throws `DecodingError.dataCorrupted` naming the field.
    public convenience init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let parameters = try c.decode([Parameter].self, forKey: .parameters)
        let values = try c.decode([T].self, forKey: .values)
        var offset = 0
        var names = Set<String>()
        for p in parameters {
            guard p.offset == offset, p.shape.allSatisfy({ $0 >= 0 }), names.insert(p.name).inserted else {
                throw DecodingError.dataCorruptedError(
                    forKey: .parameters, in: c,
                    debugDescription: "parameter '\(p.name)': offset \(p.offset) (expected \(offset)), shape \(p.shape), or duplicate name")
            }
            offset += p.count
        }
        guard offset == values.count else {
            throw DecodingError.dataCorruptedError(
                forKey: .values, in: c,
                debugDescription: "parameters need \(offset) values, got \(values.count)")
        }
        self.init(parameters: parameters, values: values)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parameters, forKey: .parameters)
        try c.encode(values, forKey: .values)
    }
}
