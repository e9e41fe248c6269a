import Testing

@testable import OctaviaConfig

@Suite struct DatabaseConnectionTests {
    @Test(arguments: [
        ("sqlite://", DatabaseConnection.sqlite(path: nil)),
        ("sqlite:////var/lib/octavia/octavia.db", .sqlite(path: "/var/lib/octavia/octavia.db")),
        ("sqlite:///octavia.db", .sqlite(path: "octavia.db")),
        ("postgresql://octavia:pw@db:6543/octavia",
         .postgres(host: "db", port: 6543, user: "octavia", password: "pw", database: "octavia")),
        ("postgresql+psycopg2://octavia:pw@127.0.0.1/octavia",
         .postgres(host: "127.0.0.1", port: 5432, user: "octavia", password: "pw", database: "octavia")),
        ("postgresql://db/octavia", .postgres(host: "db", port: 5432, user: nil, password: nil, database: "octavia")),
        ("postgresql://u@[::1]:5433/octavia", .postgres(host: "::1", port: 5433, user: "u", password: nil, database: "octavia")),
    ])
    func parses(_ url: String, _ expected: DatabaseConnection) throws {
        #expect(try DatabaseConnection.parse(url).get() == expected)
    }

    @Test(arguments: [
        "octavia.db", "sqlite:/x.db", "sqlite:x.db", "mysql://u:p@h/db", "postgresql://u:p@h:5432",
        "postgresql://u:p@h:0/db", "postgresql://u:p@/db", "postgresql://h/db?sslmode=require", "postgresql://[::1/db",
    ])
    func rejects(_ url: String) {
        #expect(throws: ConversionFailure.self) { try DatabaseConnection.parse(url).get() }
    }

    @Test func descriptionHidesPassword() {
        let connection = DatabaseConnection.postgres(host: "db", port: 5432, user: "u", password: "secret", database: "o")
        #expect(connection.description == "postgresql://u:***@db:5432/o")
    }
}
