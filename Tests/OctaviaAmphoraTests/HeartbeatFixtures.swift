import OctaviaAmphoraWire

/// A version 3 heartbeat shaped like one from an amphora with two listeners and three pools.
enum HeartbeatFixtures {
    static let key = "insecure-heartbeat-key"

    static let message = HeartbeatMessage(
        amphoraID: "4f7a0d8e-0b2c-4d55-9a1e-3c6f1b2a9d10",
        sequence: 67,
        listeners: [
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": .init(
                status: .open, stats: .init(tx: 1_234_567, rx: 7_654_321, conns: 3, totconns: 42, ereq: 1)),
            "a1b2c3d4-e5f6-4789-9abc-def012345678": .init(status: .full, stats: .init()),
        ],
        pools: [
            "11111111-2222-4333-8444-555555555555:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0": .init(
                status: .up,
                members: [
                    "aaaaaaaa-0000-4000-8000-000000000001": .up,
                    "aaaaaaaa-0000-4000-8000-000000000002": .noCheck,
                    "aaaaaaaa-0000-4000-8000-000000000003": .drain,
                    "aaaaaaaa-0000-4000-8000-000000000004": "DOWN 1/2",
                ]),
            "22222222-2222-4333-8444-555555555555:a1b2c3d4-e5f6-4789-9abc-def012345678": .init(
                status: .down, members: ["bbbbbbbb-0000-4000-8000-000000000001": .maintenance]),
            "33333333-2222-4333-8444-555555555555": .init(status: .up),
        ]
    )
}
