import Foundation

/// The external-check script PING health monitors run (`<base_path>/ping-wrapper.sh`, the path the
/// renderer writes into `external-check command`). Octavia ships it in the amphora image; a local
/// amphora has no image, so the agent installs it before HAProxy first needs it.
enum PingWrapper {
    static let fileName = "ping-wrapper.sh"

    /// HAProxy calls it with an empty PATH and the server address in `HAPROXY_SERVER_ADDR`:
    /// one echo request, one second to answer.
    static let script = """
        #!/bin/sh
        for ping in /usr/bin/ping /bin/ping; do
            [ -x "$ping" ] && break
        done
        case "$HAPROXY_SERVER_ADDR" in
            *:*) exec "$ping" -6 -q -n -w 1 -c 1 "$HAPROXY_SERVER_ADDR" >/dev/null 2>&1 ;;
            *) exec "$ping" -4 -q -n -w 1 -c 1 "$HAPROXY_SERVER_ADDR" >/dev/null 2>&1 ;;
        esac

        """

    /// Writes the script (mode 0755) into `directory` unless an identical one is there.
    static func install(in directory: String) throws {
        let path = directory + "/" + fileName
        if let current = try? String(contentsOfFile: path, encoding: .utf8), current == script { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(script.utf8),
                                             attributes: [.posixPermissions: 0o755]) else {
            throw CocoaError(.fileWriteUnknown)
        }
        guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
