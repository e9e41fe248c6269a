import Testing

@testable import OctaviaConfig

@Suite struct KeystoneSettingsTests {
    @Test func keystoneAndPolicySections() throws {
        let settings = try OctaviaSettings.parse("""
            [api_settings]
            auth_strategy = keystone

            [keystone_authtoken]
            www_authenticate_uri = http://ks.example.test:5000/v3
            auth_url = http://127.0.0.1:5000
            username = octavia
            password = s3cret
            project_name = service
            memcached_servers = 127.0.0.1:11211
            token_cache_time = 60

            [oslo_policy]
            policy_file = /etc/octavia/policy.yaml
            enforce_new_defaults = true
            """, path: "octavia.conf")
        let keystone = settings.keystoneAuthToken
        #expect(settings.api.authStrategy == .keystone)
        #expect(keystone.authURL == "http://127.0.0.1:5000" && keystone.password == "s3cret")
        #expect(keystone.userDomainName == "Default" && keystone.projectDomainName == "Default")
        #expect(keystone.tokenCacheTime == 60 && keystone.tokenCacheSize == 10000)
        #expect(keystone.missingForKeystone() == nil)
        #expect(settings.osloPolicy.policyFile == "/etc/octavia/policy.yaml")
        #expect(settings.osloPolicy.enforceNewDefaults)
    }

    @Test func defaultsAndMissingOptions() throws {
        let settings = try OctaviaSettings.parse("[keystone_authtoken]\nauth_url = http://x/v3\n", path: "o.conf")
        #expect(settings.keystoneAuthToken.missingForKeystone() == "username")
        #expect(settings.osloPolicy.policyFile == nil)
        #expect(!settings.osloPolicy.enforceNewDefaults)
    }

    @Test func onlyPasswordAuthAndNoUnknownOptions() {
        #expect(throws: ConfigError.self) {
            try OctaviaSettings.parse("[keystone_authtoken]\nauth_type = v3token\n", path: "o.conf")
        }
        #expect(throws: ConfigError.self) {
            try OctaviaSettings.parse("[oslo_policy]\npolicy_dirs = policy.d\n", path: "o.conf")
        }
    }
}
