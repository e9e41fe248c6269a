extension OctaviaSettings {
    /// The sample octavia.conf, written from the option declarations: every option commented out
    /// with its default, so parsing the sample yields the defaults. Checked in as `etc/octavia.conf.sample`.
    public static func sampleConfig() -> String {
        var lines = [
            "# Sample configuration for Swift Octavia.",
            "#",
            "# Generated from the option declarations by OctaviaSettings.sampleConfig(); do not edit.",
            "# Regenerate with: OCTAVIA_UPDATE_SAMPLE=1 swift test --filter OctaviaConfigTests",
            "#",
            "# Every option is shown commented out with its default value.",
        ]
        for section in sections {
            lines.append("")
            lines.append("[\(section.sectionName)]")
            lines.append(contentsOf: wrap(section.sectionHelp, prefix: "# "))
            for option in section.options {
                lines.append("")
                lines.append(contentsOf: sampleLines(option))
            }
        }
        lines.append("")
        lines.append("# [local_network:<name>]")
        lines.append(contentsOf: wrap(LocalNetworkSettings.sectionHelp, prefix: "# "))
        lines.append("#")
        lines.append("#[local_network:example]")
        for option in LocalNetworkSettings.options {
            lines.append("")
            lines.append(contentsOf: sampleLines(option))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Help, type, constraints and the commented-out default of one option, as oslo's generator lays them out.
    static func sampleLines(_ option: OptionDescriptor) -> [String] {
        var type = option.typeName
        if option.isRequired { type += ", required" }
        if option.isSecret { type += ", secret" }
        var lines = wrap("\(option.help) (\(type))", prefix: "# ")
        if let minimum = option.minimum { lines.append("# Minimum value: \(minimum)") }
        if let maximum = option.maximum { lines.append("# Maximum value: \(maximum)") }
        if let choices = option.choices { lines.append("# Possible values: \(choices.joined(separator: ", "))") }
        let value = option.defaultText.map { $0.isEmpty ? "" : " \($0)" } ?? " <None>"
        lines.append("#\(option.name) =\(value)")
        return lines
    }

    /// Word-wraps `text` to 79 columns including `prefix`.
    static func wrap(_ text: String, prefix: String, width: Int = 79) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty && prefix.count + current.count + 1 + word.count > width {
                lines.append(prefix + current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(prefix + current) }
        return lines
    }
}
