extension ConfigError {
    /// The config error for a failure while decoding `file`: an `UnknownKeyError` (with the
    /// nearest known key), a `DecodingError` (missing key, wrong type, a value outside a closed
    /// choice), or an existing `ConfigError`. `overrides` are the `--set key.path=value`
    /// assignments applied to the file: an error at a key they set says so.
    public init(decoding error: Error, file: String, overrides: [String] = []) {
        switch error {
        case let e as ConfigError:
            self = e
        case let e as UnknownKeyError:
            let parent = Self.keyPath(e.path)
            let full = Self.join(parent, e.key)
            var message = "unknown key"
            if let o = Self.override(setting: full, in: overrides) { message += " (from --set \(o))" }
            if let near = KeySuggestion.nearest(to: e.key, among: e.known) {
                message += "; did you mean \(Self.join(parent, near))?"
            } else {
                message += "; known keys here: \(e.known.joined(separator: ", "))"
            }
            self.init(file: file, key: full, message)
        case DecodingError.dataCorrupted(let ctx) where ctx.underlyingError is UnknownKeyError || ctx.underlyingError is ConfigError:
            // decoders (Yams) wrap errors thrown by `init(from:)` that are not `DecodingError`s
            self.init(decoding: ctx.underlyingError!, file: file, overrides: overrides)
        case let e as DecodingError:
            self = Self.describe(e, file: file, overrides: overrides)
        default:
            self.init(file: file, key: "", "\(error)")
        }
    }

    static func describe(_ error: DecodingError, file: String, overrides: [String]) -> ConfigError {
        func make(_ key: String, _ message: String) -> ConfigError {
            let from = override(setting: key, in: overrides).map { " (from --set \($0))" } ?? ""
            return ConfigError(file: file, key: key, message + from)
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            return make(join(keyPath(ctx.codingPath), key.stringValue), "missing required key")
        case .typeMismatch(let type, let ctx):
            return make(keyPath(ctx.codingPath), "expected \(typeName(type))")
        case .valueNotFound(let type, let ctx):
            return make(keyPath(ctx.codingPath), "missing value (expected \(typeName(type)))")
        case .dataCorrupted(let ctx):
            return make(keyPath(ctx.codingPath), ctx.debugDescription)
        @unknown default:
            return ConfigError(file: file, key: "", "\(error)")
        }
    }

    /// `a.b[0].c` from coding keys.
    public static func keyPath(_ path: [CodingKey]) -> String {
        var out = ""
        for k in path {
            if let i = k.intValue {
                out += "[\(i)]"
            } else {
                out += out.isEmpty ? k.stringValue : ".\(k.stringValue)"
            }
        }
        return out
    }

    static func join(_ parent: String, _ key: String) -> String { parent.isEmpty ? key : "\(parent).\(key)" }

    /// The override assignment that sets `key` or a key inside it (nil if none).
    static func override(setting key: String, in overrides: [String]) -> String? {
        overrides.last { o in
            guard let eq = o.firstIndex(of: "=") else { return false }
            let path = String(o[..<eq])
            return path == key || path.hasPrefix(key + ".") || key.hasPrefix(path + ".")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int32.Type, is Int64.Type: return "an integer"
        case is UInt64.Type, is UInt.Type: return "a non-negative integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is String.Type: return "a string"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "a mapping" }
            return "a value of type \(name)"
        }
    }
}
