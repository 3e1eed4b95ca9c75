import CHDF5

/// Element types se3 stores in HDF5 datasets (little-endian in the file, native in memory).
public enum HDF5ElementType: String, Sendable, CaseIterable {
    case int8, uint8, int32, int64, float32, float64

    /// Native memory type id.
    var nativeType: hid_t {
        switch self {
        case .int8: return se3_h5t_native_int8()
        case .uint8: return se3_h5t_native_uint8()
        case .int32: return se3_h5t_native_int32()
        case .int64: return se3_h5t_native_int64()
        case .float32: return se3_h5t_native_float()
        case .float64: return se3_h5t_native_double()
        }
    }

    /// Portable on-disk (little-endian) type id.
    var fileType: hid_t {
        switch self {
        case .int8: return se3_h5t_native_int8()
        case .uint8: return se3_h5t_std_u8le()
        case .int32: return se3_h5t_std_i32le()
        case .int64: return se3_h5t_std_i64le()
        case .float32: return se3_h5t_ieee_f32le()
        case .float64: return se3_h5t_ieee_f64le()
        }
    }
}

/// The class of a dataset's or attribute's stored element type.
public enum HDF5TypeClass: Equatable, Sendable, CustomStringConvertible {
    case integer(bytes: Int, signed: Bool)
    case float(bytes: Int)
    case string
    case other

    public var isInteger: Bool { if case .integer = self { return true } else { return false } }
    public var isFloat: Bool { if case .float = self { return true } else { return false } }
    public var isNumeric: Bool { isInteger || isFloat }

    public var description: String {
        switch self {
        case let .integer(bytes, signed): return "\(signed ? "int" : "uint")\(bytes * 8)"
        case let .float(bytes): return "float\(bytes * 8)"
        case .string: return "string"
        case .other: return "non-numeric type"
        }
    }
}

/// A Swift scalar that maps to an HDF5 element type. HDF5 converts between the
/// stored type and this type on read (e.g. float32 on disk read as `Double`).
public protocol HDF5Scalar: Numeric {
    static var hdf5Type: HDF5ElementType { get }
}

extension Int8: HDF5Scalar { public static var hdf5Type: HDF5ElementType { .int8 } }
extension UInt8: HDF5Scalar { public static var hdf5Type: HDF5ElementType { .uint8 } }
extension Int32: HDF5Scalar { public static var hdf5Type: HDF5ElementType { .int32 } }
extension Int64: HDF5Scalar { public static var hdf5Type: HDF5ElementType { .int64 } }
extension Float: HDF5Scalar { public static var hdf5Type: HDF5ElementType { .float32 } }
extension Double: HDF5Scalar { public static var hdf5Type: HDF5ElementType { .float64 } }

extension HDF5TypeClass {
    /// Classifies an HDF5 datatype id.
    static func of(_ type: hid_t) -> HDF5TypeClass {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_INTEGER:
            return .integer(bytes: Int(size), signed: H5Tget_sign(type) == H5T_SGN_2)
        case H5T_FLOAT:
            return .float(bytes: Int(size))
        case H5T_STRING:
            return .string
        default:
            se3_h5_clear_errors()
            return .other
        }
    }
}
