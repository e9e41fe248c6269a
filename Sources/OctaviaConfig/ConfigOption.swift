/// One declared option: name, type, default and help in one place. The section structs read
/// their values through it and the sample config is written from its ``descriptor``.
public struct ConfigOption<Value: Sendable>: Sendable {
    public let descriptor: OptionDescriptor
    /// The value when the option is absent; nil only for required options.
    public let defaultValue: Value?
    let convert: @Sendable (String) -> Result<Value, ConversionFailure>

    public var name: String { descriptor.name }

    init(
        descriptor: OptionDescriptor,
        defaultValue: Value?,
        convert: @escaping @Sendable (String) -> Result<Value, ConversionFailure>
    ) {
        self.descriptor = descriptor
        self.defaultValue = defaultValue
        self.convert = convert
    }

    /// Converts the raw INI text; the failure reason is completed with file, line, section and option by the reader.
    public func parse(_ text: String) -> Result<Value, ConversionFailure> { convert(text) }
}

/// Why a raw value was rejected, e.g. `'99999' is not a valid port (1-65535)`.
public struct ConversionFailure: Error, Sendable, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
