import Logging

/// One stage of a flow: `execute` moves the context forward; `revert` undoes what `execute`
/// may have done. Reverts must be idempotent and tolerate a half-done execute, because they
/// also run for the step that failed and again after a crash.
public struct FlowStep<Context: Sendable>: Sendable {
    public let name: String
    public let execute: @Sendable (inout Context) async throws -> Void
    public let revert: (@Sendable (Context) async -> Void)?

    public init(_ name: String, execute: @escaping @Sendable (inout Context) async throws -> Void,
                revert: (@Sendable (Context) async -> Void)? = nil) {
        self.name = name
        self.execute = execute
        self.revert = revert
    }
}

/// An ordered list of steps over a typed context (Octavia's linear TaskFlow flows).
public struct Flow<Context: Sendable>: Sendable {
    public let name: String
    public let steps: [FlowStep<Context>]

    public init(_ name: String, steps: [FlowStep<Context>]) {
        self.name = name
        self.steps = steps
    }
}

/// Why a flow failed: the step and the underlying error.
public struct FlowError: Error, CustomStringConvertible {
    public let flow: String
    public let step: String
    public let underlying: any Error
    public var description: String { "flow \(flow) failed in step \(step): \(underlying)" }
}

public enum FlowRunner {
    /// Runs the steps in order. When one throws, the completed steps and the failed one are
    /// reverted in reverse order, then the error is rethrown as ``FlowError``.
    /// - Parameter progress: told the number of completed steps after each one (for crash recovery).
    @discardableResult
    public static func run<Context>(
        _ flow: Flow<Context>, context: Context, logger: Logger,
        progress: @Sendable (Int) async -> Void = { _ in }
    ) async throws -> Context {
        var context = context
        for (index, step) in flow.steps.enumerated() {
            do {
                logger.debug("step start", metadata: ["flow": "\(flow.name)", "step": "\(step.name)"])
                try await step.execute(&context)
                await progress(index + 1)
            } catch {
                // Stopped from outside (shutdown, or another worker took the job over): nothing
                // failed, so nothing is reverted; the job stays for whoever runs it next.
                if error is CancellationError || Task.isCancelled {
                    logger.notice("flow interrupted", metadata: ["flow": "\(flow.name)", "step": "\(step.name)"])
                    throw CancellationError()
                }
                logger.warning("step failed; reverting", metadata: [
                    "flow": "\(flow.name)", "step": "\(step.name)", "error": "\(error)",
                ])
                let finalContext = context
                for reverted in flow.steps[...index].reversed() {
                    if let revert = reverted.revert {
                        logger.debug("revert", metadata: ["flow": "\(flow.name)", "step": "\(reverted.name)"])
                        await revert(finalContext)
                    }
                }
                throw FlowError(flow: flow.name, step: step.name, underlying: error)
            }
        }
        return context
    }
}
