import ArgumentParser
import Logging
import OctaviaAPI
import OctaviaAuth
import OctaviaConfig

extension Daemon {
    /// What the API gets for keystone auth, and how to release its Keystone client at shutdown.
    struct AuthSetup {
        var authentication: APIAuthentication
        var shutdown: @Sendable () async -> Void
    }

    /// Keystone token validation and the RBAC rules for `auth_strategy = keystone`; nil for noauth.
    /// - Throws: `ValidationError` for `testing`, missing `[keystone_authtoken]` options, or a
    ///   policy file that is missing, malformed or refers to unknown rules.
    static func makeAuthentication(_ settings: OctaviaSettings, logger: Logger) throws -> AuthSetup? {
        switch settings.api.authStrategy {
        case .noauth:
            return nil
        case .testing:
            throw ValidationError("[api_settings] auth_strategy = testing is not supported; use keystone or noauth")
        case .keystone:
            break
        }
        let keystone = settings.keystoneAuthToken
        if let missing = keystone.missingForKeystone() {
            throw ValidationError("[keystone_authtoken] \(missing) must be set when [api_settings] auth_strategy = keystone")
        }
        let policy: PolicyEnforcer
        do {
            let overrides = try settings.osloPolicy.policyFile.map { try PolicyFile.load(path: $0) } ?? [:]
            policy = try PolicyEnforcer.make(enforceNewDefaults: settings.osloPolicy.enforceNewDefaults, overrides: overrides)
        } catch {
            throw ValidationError("[oslo_policy] \(error)")
        }
        let authURL = keystone.authURL!
        let validator = KeystoneTokenValidator(
            settings: KeystoneSettings(
                wwwAuthenticateURI: keystone.wwwAuthenticateURI ?? authURL, authURL: authURL,
                username: keystone.username!, password: keystone.password!, projectName: keystone.projectName!,
                userDomainName: keystone.userDomainName, projectDomainName: keystone.projectDomainName,
                regionName: keystone.regionName, timeout: .seconds(keystone.httpConnectTimeout),
                cacheTime: .seconds(keystone.tokenCacheTime), cacheCapacity: keystone.tokenCacheSize),
            logger: logger)
        logger.info("API authentication: keystone", metadata: [
            "auth_url": "\(authURL)", "policy_file": "\(settings.osloPolicy.policyFile ?? "-")",
            "enforce_new_defaults": "\(settings.osloPolicy.enforceNewDefaults)",
        ])
        let authentication = APIAuthentication(validator: validator, policy: policy,
                                               wwwAuthenticateURI: keystone.wwwAuthenticateURI ?? authURL)
        return AuthSetup(authentication: authentication, shutdown: { await validator.shutdown() })
    }
}
