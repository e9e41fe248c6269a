import Foundation

// Factories for the option kinds oslo.config offers. Each renders its typed default back to INI
// text, so the sample shows exactly what an absent option means and parses back to it.

extension ConfigOption where Value == Bool {
    /// Accepts true/false, yes/no, on/off, 1/0 in any case.
    public static func bool(_ name: String, default value: Bool, help: String) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: "boolean value", defaultText: value ? "true" : "false", help: help),
            defaultValue: value,
            convert: ConfigValueParsing.bool
        )
    }
}

extension ConfigOption where Value == Int {
    /// An integer, optionally bounded (inclusive).
    public static func integer(_ name: String, default value: Int, min: Int? = nil, max: Int? = nil, help: String) -> Self {
        Self(
            descriptor: OptionDescriptor(
                name: name, typeName: "integer value", defaultText: String(value), help: help,
                minimum: min.map(String.init), maximum: max.map(String.init)),
            defaultValue: value,
            convert: { ConfigValueParsing.integer($0, min: min, max: max) }
        )
    }

    /// A TCP/UDP port, 1-65535.
    public static func port(_ name: String, default value: Int, help: String) -> Self {
        Self(
            descriptor: OptionDescriptor(
                name: name, typeName: "port value", defaultText: String(value), help: help, minimum: "1", maximum: "65535"),
            defaultValue: value,
            convert: ConfigValueParsing.port
        )
    }
}

extension ConfigOption where Value == Int? {
    /// An integer that may be left unset (empty or absent means nil).
    public static func optionalInteger(_ name: String, min: Int? = nil, max: Int? = nil, help: String) -> Self {
        Self(
            descriptor: OptionDescriptor(
                name: name, typeName: "integer value", defaultText: nil, help: help,
                minimum: min.map(String.init), maximum: max.map(String.init)),
            defaultValue: .some(nil),
            convert: { text in
                text.isEmpty ? .success(nil) : ConfigValueParsing.integer(text, min: min, max: max).map { $0 }
            }
        )
    }
}

extension ConfigOption where Value == Double {
    /// A floating point number, optionally with an inclusive lower bound.
    public static func float(_ name: String, default value: Double, min: Double? = nil, help: String) -> Self {
        Self(
            descriptor: OptionDescriptor(
                name: name, typeName: "floating point value", defaultText: ConfigValueParsing.render(value), help: help,
                minimum: min.map(ConfigValueParsing.render)),
            defaultValue: value,
            convert: { ConfigValueParsing.float($0, min: min) }
        )
    }
}

extension ConfigOption where Value == String {
    /// A string; empty is a valid value. `sampleDefault` replaces the default shown in the sample when the
    /// real default depends on the machine (the hostname).
    public static func string(
        _ name: String, default value: String, sampleDefault: String? = nil, help: String,
        validate: (@Sendable (String) -> String?)? = nil
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: "string value", defaultText: sampleDefault ?? value, help: help),
            defaultValue: value,
            convert: { text in
                if let validate, let reason = validate(text) { return .failure(ConversionFailure(reason)) }
                return .success(text)
            }
        )
    }

    /// A string that has no default and must be set.
    public static func requiredString(
        _ name: String, typeName: String = "string value", help: String,
        validate: (@Sendable (String) -> String?)? = nil
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: typeName, defaultText: nil, help: help, isRequired: true),
            defaultValue: nil,
            convert: { text in
                if text.isEmpty { return .failure(ConversionFailure("a value is required")) }
                if let validate, let reason = validate(text) { return .failure(ConversionFailure(reason)) }
                return .success(text)
            }
        )
    }
}

extension ConfigOption where Value == String? {
    /// A string that may be left unset (empty or absent means nil).
    public static func optionalString(
        _ name: String, secret: Bool = false, help: String, validate: (@Sendable (String) -> String?)? = nil
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: "string value", defaultText: nil, help: help, isSecret: secret),
            defaultValue: .some(nil),
            convert: { text in
                if text.isEmpty { return .success(nil) }
                if let validate, let reason = validate(text) { return .failure(ConversionFailure(reason)) }
                return .success(text)
            }
        )
    }
}

extension ConfigOption where Value == [String] {
    /// Comma-separated values, whitespace trimmed; empty means an empty list.
    /// `validateElement` returns a reason when one element is invalid.
    public static func list(
        _ name: String, default value: [String], help: String, validateElement: (@Sendable (String) -> String?)? = nil
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: "list value", defaultText: value.joined(separator: ","), help: help),
            defaultValue: value,
            convert: { ConfigValueParsing.list($0, validateElement: validateElement) }
        )
    }
}

extension ConfigOption where Value == [String]? {
    /// A list that may be left unset, which differs from an empty list (e.g. "no restriction").
    public static func optionalList(
        _ name: String, help: String, validateElement: (@Sendable (String) -> String?)? = nil
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: "list value", defaultText: nil, help: help),
            defaultValue: .some(nil),
            convert: { text in
                text.isEmpty ? .success(nil) : ConfigValueParsing.list(text, validateElement: validateElement).map { $0 }
            }
        )
    }
}

extension ConfigOption where Value == [String: String] {
    /// oslo dict syntax `key:value,key:value`; the sample lists keys in sorted order.
    public static func dict(_ name: String, default value: [String: String], help: String) -> Self {
        let text = value.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        return Self(
            descriptor: OptionDescriptor(name: name, typeName: "dict value", defaultText: text, help: help),
            defaultValue: value,
            convert: ConfigValueParsing.dict
        )
    }
}

extension ConfigOption where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of a fixed set of strings (case-sensitive, as in oslo.config); the error lists the choices.
    public static func choice(_ name: String, default value: Value, help: String) -> Self {
        let choices = Value.allCases.map(\.rawValue)
        return Self(
            descriptor: OptionDescriptor(
                name: name, typeName: "string value", defaultText: value.rawValue, help: help, choices: choices),
            defaultValue: value,
            convert: { text in
                guard let parsed = Value(rawValue: text) else {
                    return .failure(ConversionFailure("'\(text)' is not one of \(choices.joined(separator: ", "))"))
                }
                return .success(parsed)
            }
        )
    }
}

extension ConfigOption {
    /// An option with its own syntax (database URL, pagination limit).
    public static func custom(
        _ name: String, typeName: String, default value: Value, defaultText: String?, help: String,
        convert: @escaping @Sendable (String) -> Result<Value, ConversionFailure>
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: typeName, defaultText: defaultText, help: help),
            defaultValue: value,
            convert: convert
        )
    }

    /// An option with its own syntax that has no default and must be set.
    public static func requiredCustom(
        _ name: String, typeName: String, help: String,
        convert: @escaping @Sendable (String) -> Result<Value, ConversionFailure>
    ) -> Self {
        Self(
            descriptor: OptionDescriptor(name: name, typeName: typeName, defaultText: nil, help: help, isRequired: true),
            defaultValue: nil,
            convert: convert
        )
    }
}
